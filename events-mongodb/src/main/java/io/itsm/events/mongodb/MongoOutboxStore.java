package io.itsm.events.mongodb;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.jboss.logging.Logger;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;

import io.itsm.events.outbox.OutboxEntry;
import io.itsm.events.outbox.OutboxPublisher;
import io.itsm.events.outbox.OutboxStore;
import io.itsm.events.outbox.PendingEvent;

/**
 * The relay's side of the MongoDB outbox ({@link MongoOutbox}): pending events live in the {@code outbox}
 * array of the aggregate documents of the given collections. A pass finds documents whose outbox is not
 * empty, hands their events to the publisher (per document in array order, which is the aggregate's
 * order) and then {@code $pull}s the delivered ones, one single-document update per aggregate. Nothing
 * is removed before Kafka acknowledged it; an entry the publisher did not report delivered stays, with everything
 * after it. <b>Once per event id:</b> before publishing, a pass notes its batch (event ids and their documents) in
 * the lease collection ({@code _id = "in-flight"}) and removes the note after its pulls when Kafka acknowledged the
 * whole batch; a pass that finds the note (its writer died or failed after publishing, or part of its batch was not
 * acknowledged, which does not mean it was not written) asks the publisher which of those events are on Kafka already
 * ({@link OutboxPublisher#alreadyPublished}) and pulls them instead of publishing them again.
 *
 * <p><b>One relay at a time.</b> With several replicas, only the holder of a lease document
 * ({@code outbox_relay_lease}, {@code _id = "relay"}) relays. The lease is taken with one
 * {@code findOneAndUpdate} + upsert that matches only when the lease expired or is already ours; when it
 * is held by another replica the upsert collides on {@code _id} (duplicate key), which means "not ours".
 * Every pass renews it. {@code leaseTtl} must be longer than a pass can take (the relay's delivery
 * timeout), otherwise another replica may take over mid-pass; that can only cause duplicates, which the
 * consumers drop by event id. Expiry uses the replicas' clocks, so they must be NTP-synchronised to
 * well within the TTL. {@link #close()} releases the lease so a successor starts at once.
 *
 * <p><b>Bulk inserts.</b> Documents inserted in bulk keep their creation events beside them, in {@link BulkOutbox}
 * batches. A pass first takes whole ready batches (up to about {@code maxEntries} events), then up to {@code maxEntries}
 * events from documents, holding back those of documents that a batch still names, and publishes the batches' events
 * first; it deletes the batches whose events were all delivered and pulls what was delivered from documents.
 *
 * <p>Works on any MongoDB (no transaction, no change stream, no session) and on the MongoDB-wire test server.
 */
public class MongoOutboxStore implements OutboxStore, AutoCloseable {

    /** The collection of the relay lease. */
    public static final String LEASE_COLLECTION = "outbox_relay_lease";
    /** The lease document's {@code _id}. */
    public static final String LEASE_ID = "relay";
    /** The {@code _id} of the note of the batch being published, in the lease collection. */
    public static final String IN_FLIGHT_ID = "in-flight";

    private static final Logger LOG = Logger.getLogger(MongoOutboxStore.class);
    private static final String ID_PATH = MongoOutbox.FIELD + ".id";

    private final MongoDatabase database;
    private final List<String> collections;
    private final Duration leaseTtl;
    private final Clock clock;
    private final String owner;
    private final MongoCollection<Document> leases;
    private volatile boolean indexesEnsured;
    private volatile boolean holding;
    private final Duration sweepEvery;
    private volatile Instant lastSweep;
    private final MongoCollection<Document> bulk;
    private final Duration recoverAfter;

    public MongoOutboxStore(MongoDatabase database, List<String> collections) {
        this(database, collections, Duration.ofSeconds(30), Clock.systemUTC());
    }

    public MongoOutboxStore(MongoDatabase database, List<String> collections, Duration leaseTtl, Clock clock) {
        this(database, collections, leaseTtl, clock, null);
    }

    /**
     * @param collections the collections whose documents carry an outbox
     * @param leaseTtl    how long a lease lasts without renewal; longer than one relay pass can take
     * @param sweepEvery  null: every pass looks for pending events in every collection; else the writers hint the
     *                    documents they added events to ({@link MongoOutbox#hint}) and a pass reads only those; a sweep at
     *                    the first pass and then at this interval hints the documents whose writer stopped before hinting
     */
    public MongoOutboxStore(MongoDatabase database, List<String> collections, Duration leaseTtl, Clock clock, Duration sweepEvery) {
        this(database, collections, leaseTtl, clock, sweepEvery, Duration.ofMinutes(5));
    }

    /**
     * @param recoverAfter after how long a {@link BulkOutbox} batch still marked writing is taken to be abandoned by its
     *                     writer (failed or died) and resolved: far longer than one bulk insert of its documents takes
     */
    public MongoOutboxStore(MongoDatabase database, List<String> collections, Duration leaseTtl, Clock clock, Duration sweepEvery,
                            Duration recoverAfter) {
        this.sweepEvery = sweepEvery;
        this.recoverAfter = Objects.requireNonNull(recoverAfter, "recoverAfter");
        this.database = Objects.requireNonNull(database, "database");
        this.collections = List.copyOf(collections);
        this.leaseTtl = leaseTtl;
        this.clock = clock;
        this.owner = UUID.randomUUID().toString();
        this.leases = database.getCollection(LEASE_COLLECTION);
        this.bulk = database.getCollection(BulkOutbox.COLLECTION);
        if (this.collections.isEmpty()) {
            LOG.warn("no outbox collections configured: the MongoDB outbox relay has nothing to publish");
        }
    }

    /** This store's identity in the lease. */
    public String owner() {
        return owner;
    }

    /** The collections this store relays. */
    public List<String> collections() {
        return collections;
    }

    /** Whether the last pass held the lease. */
    public boolean holdsLease() {
        return holding;
    }

    @Override
    public int relay(int maxEntries, OutboxPublisher publisher) {
        holding = acquireLease();
        if (!holding) {
            return 0;
        }
        ensureIndexes();
        Document unfinished = leases.find(Filters.eq("_id", IN_FLIGHT_ID)).first();
        if (unfinished != null) {
            forgetPublished(unfinished, publisher);
            leases.deleteOne(Filters.eq("_id", IN_FLIGHT_ID));
        }
        List<Pending> pending = new ArrayList<>();
        List<OutboxEntry> batch = new ArrayList<>();
        Instant now = clock.instant();
        collectBulk(maxEntries, now, pending, batch);
        List<Pending> inDocuments = new ArrayList<>();
        List<OutboxEntry> fromDocuments = new ArrayList<>();
        if (sweepEvery == null) {
            for (String name : collections) {
                if (fromDocuments.size() >= maxEntries) {
                    break;
                }
                collect(database.getCollection(name), maxEntries, inDocuments, fromDocuments);
            }
        } else {
            if (lastSweep == null || !now.isBefore(lastSweep.plus(sweepEvery))) {
                sweep();
                lastSweep = now;
            }
            collectHinted(maxEntries, inDocuments, fromDocuments);
        }
        holdBackBulkDocuments(inDocuments, fromDocuments);
        pending.addAll(inDocuments);
        batch.addAll(fromDocuments);
        if (batch.isEmpty()) {
            return 0;
        }
        noteInFlight(pending, batch);
        Set<UUID> delivered = publisher.publish(batch);
        int removed = delivered.isEmpty() ? 0 : pull(pending, delivered);
        if (delivered.size() == batch.size()) {
            leases.deleteOne(Filters.eq("_id", IN_FLIGHT_ID));
        }
        // else the note stays: an event Kafka did not acknowledge in time may have been written all the same, so the
        // next pass asks Kafka before it publishes the rest again
        return removed;
    }

    /**
     * Takes whole ready {@link BulkOutbox} batches, oldest first, while the batch has room; resolves a batch left
     * writing for longer than {@code recoverAfter}; deletes batches left empty (all their documents refused).
     */
    private void collectBulk(int maxEntries, Instant now, List<Pending> pending, List<OutboxEntry> batch) {
        List<Document> batches = bulk.find().into(new ArrayList<>());
        if (batches.isEmpty()) {
            return;
        }
        batches.sort(java.util.Comparator.comparing((Document b) -> b.getDate(BulkOutbox.AT)).thenComparing(b -> String.valueOf(b.get("_id"))));
        List<Object> empty = new ArrayList<>();
        for (Document b : batches) {
            if (batch.size() >= maxEntries) {
                break;
            }
            if (BulkOutbox.WRITING.equals(b.getString(BulkOutbox.STATE))) {
                if (now.isBefore(b.getDate(BulkOutbox.AT).toInstant().plus(recoverAfter))) {
                    continue; // its writer may still be inserting the documents
                }
                b = recover(b);
                if (b == null) {
                    continue;
                }
            }
            List<Document> elements = b.getList(MongoOutbox.FIELD, Document.class, List.of());
            if (elements.isEmpty()) {
                empty.add(b.get("_id"));
                continue;
            }
            List<OutboxEntry> entries = new ArrayList<>(elements.size());
            List<String> ids = new ArrayList<>(elements.size());
            try {
                for (Document element : elements) {
                    OutboxEntry entry = MongoOutbox.toEntry(MongoOutbox.aggregateId(element.get(BulkOutbox.DOCUMENT_ID)), element);
                    entries.add(entry);
                    ids.add(entry.id().toString());
                }
            } catch (IllegalArgumentException e) {
                LOG.errorf("%s: the outbox batch %s waits until the element is fixed", e.getMessage(), b.get("_id"));
                continue;
            }
            batch.addAll(entries);
            pending.add(new Pending(bulk, b.get("_id"), ids));
        }
        if (!empty.isEmpty()) {
            bulk.deleteMany(Filters.and(Filters.in("_id", empty), Filters.size(MongoOutbox.FIELD, 0)));
        }
    }

    /**
     * Resolves a batch whose writer failed or died between its two writes: the events of the documents that exist are
     * kept (the insert landed), the others dropped, and the batch marked ready.
     *
     * @return the batch as resolved, or null when another pass resolved it meanwhile
     */
    private Document recover(Document b) {
        String target = b.getString(BulkOutbox.TARGET);
        List<Object> ids = b.getList(BulkOutbox.DOCUMENT_IDS, Object.class, List.of());
        Set<String> existing = new HashSet<>();
        findByIds(database.getCollection(target), ids, Projections.include("_id"), d -> existing.add(MongoOutbox.aggregateId(d.get("_id"))));
        List<Object> missing = ids.stream().filter(id -> !existing.contains(MongoOutbox.aggregateId(id))).toList();
        LOG.warnf("outbox batch %s of %s was left writing since %s (its writer failed or stopped): %d of its %d documents "
                + "exist, their events are published; %d dropped", b.get("_id"), target, b.getDate(BulkOutbox.AT).toInstant(),
                existing.size(), ids.size(), missing.size());
        Bson ready = Updates.set(BulkOutbox.STATE, BulkOutbox.READY);
        if (!missing.isEmpty()) {
            ready = Updates.combine(ready, Updates.pull(MongoOutbox.FIELD, Filters.in(BulkOutbox.DOCUMENT_ID, missing)));
        }
        return bulk.findOneAndUpdate(Filters.and(Filters.eq("_id", b.get("_id")), Filters.eq(BulkOutbox.STATE, BulkOutbox.WRITING)), ready,
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
    }

    /**
     * Keeps back, for a later pass, the events of documents that a {@link BulkOutbox} batch still names: their creation
     * is in that batch and must be published first. Read <i>after</i> the documents' events were collected: such a document
     * was inserted after its batch was written, so a batch not seen here was deleted, i.e. published, before.
     */
    private void holdBackBulkDocuments(List<Pending> pending, List<OutboxEntry> batch) {
        if (pending.isEmpty()) {
            return;
        }
        Set<String> named = new HashSet<>();
        bulk.find().projection(Projections.include(BulkOutbox.TARGET, BulkOutbox.DOCUMENT_IDS)).forEach(b -> {
            String target = b.getString(BulkOutbox.TARGET);
            b.getList(BulkOutbox.DOCUMENT_IDS, Object.class, List.of()).forEach(id -> named.add(MongoOutbox.documentKey(target, id)));
        });
        if (named.isEmpty()) {
            return;
        }
        Set<String> heldBack = new HashSet<>();
        pending.removeIf(p -> {
            boolean held = named.contains(MongoOutbox.documentKey(p.collection().getNamespace().getCollectionName(), p.documentId()));
            if (held) {
                heldBack.addAll(p.entryIds());
            }
            return held;
        });
        batch.removeIf(e -> heldBack.contains(e.id().toString()));
    }

    /**
     * Notes the batch about to be published (which events, in which documents) in the lease collection, acknowledged
     * before anything is sent. A pass that finds the note knows the pass that wrote it published and then failed or
     * died before its pulls and note removal completed.
     */
    private void noteInFlight(List<Pending> pending, List<OutboxEntry> batch) {
        java.util.Map<UUID, OutboxEntry> byId = new java.util.HashMap<>();
        batch.forEach(e -> byId.put(e.id(), e));
        List<Document> events = new ArrayList<>(batch.size());
        for (Pending p : pending) {
            for (String id : p.entryIds()) {
                OutboxEntry e = byId.get(UUID.fromString(id));
                events.add(new Document("collection", p.collection().getNamespace().getCollectionName())
                        .append("documentId", p.documentId()).append("id", id).append("aggregateId", e.aggregateId())
                        .append("topic", e.topic()).append("time", Date.from(e.time())));
            }
        }
        leases.replaceOne(Filters.eq("_id", IN_FLIGHT_ID), new Document("_id", IN_FLIGHT_ID).append("events", events)
                .append("owner", owner).append("at", new Date(clock.millis())), new ReplaceOptions().upsert(true));
    }

    /**
     * Pulls the events of an unfinished pass's note that the publisher finds on Kafka already (per aggregate up to its
     * first unpublished one), so they are not published again.
     */
    private void forgetPublished(Document note, OutboxPublisher publisher) {
        List<PendingEvent> events = new ArrayList<>();
        java.util.Map<String, Pending> documents = new java.util.LinkedHashMap<>();
        for (Document e : note.getList("events", Document.class, List.of())) {
            String id = e.getString("id");
            events.add(new PendingEvent(UUID.fromString(id), e.getString("aggregateId"), e.getString("topic"), e.getDate("time").toInstant()));
            String collection = e.getString("collection");
            documents.computeIfAbsent(MongoOutbox.documentKey(collection, e.get("documentId")),
                    k -> new Pending(database.getCollection(collection), e.get("documentId"), new ArrayList<>())).entryIds().add(id);
        }
        if (events.isEmpty()) {
            return;
        }
        Set<UUID> published = PendingEvent.publishedPrefixes(events, publisher.alreadyPublished(events));
        if (!published.isEmpty()) {
            List<Pending> noted = new ArrayList<>(documents.values());
            pull(noted, published);
        }
    }

    /**
     * Hints every document that holds pending events but has no hint, in every outbox collection. Writers hint after
     * a write that succeeded, so such a document is left only by a crash between the two, a failed hint write or a write
     * that failed part-way; without this its events would wait for ever. Reads the whole collections, hence only at the first pass and every
     * {@code sweepEvery}.
     */
    private void sweep() {
        MongoCollection<Document> hints = database.getCollection(MongoOutbox.HINTS);
        for (String name : collections) {
            List<Object> withEvents = new ArrayList<>();
            database.getCollection(name).find(Filters.exists(ID_PATH)).projection(Projections.include("_id")).batchSize(1000)
                    .forEach(d -> withEvents.add(d.get("_id")));
            Set<String> hinted = new HashSet<>();
            findByIds(hints, withEvents.stream().map(id -> MongoOutbox.hintId(name, id)).toList(), Projections.include("_id"),
                    h -> hinted.add(h.getString("_id")));
            List<Object> unhinted = withEvents.stream().filter(id -> !hinted.contains(MongoOutbox.hintId(name, id))).toList();
            if (!unhinted.isEmpty()) {
                LOG.warnf("outbox sweep: %d documents of %s hold events without a hint (a crash or failure between a write and "
                        + "its hint); hinted them for relaying", unhinted.size(), name);
                MongoOutbox.hint(database, name, unhinted);
            }
        }
    }

    /**
     * Reads the documents the hints name, appending their entries (array order) until the batch is full; a hint whose
     * document has no pending events is removed, unless a writer renewed it since it was read. When a page of hints
     * held removed ones and the batch still has room, the next hints are read too (hints in natural order, without
     * those taken in this pass: the MongoDB-wire store sorts in memory, so no sort).
     */
    private void collectHinted(int maxEntries, List<Pending> pending, List<OutboxEntry> batch) {
        MongoCollection<Document> hintCollection = database.getCollection(MongoOutbox.HINTS);
        int page = Math.max(maxEntries, 1);
        List<Object> taken = new ArrayList<>();
        while (batch.size() < maxEntries) {
            List<Document> hints = hintCollection.find(taken.isEmpty() ? new Document() : Filters.nin("_id", taken))
                    .limit(page).into(new ArrayList<>());
            List<WriteModel<Document>> stale = new ArrayList<>();
            for (String name : collections) {
                List<Document> mine = hints.stream().filter(h -> name.equals(h.getString("collection"))).toList();
                if (!mine.isEmpty()) {
                    collectHinted(database.getCollection(name), mine, maxEntries, pending, batch, stale);
                }
            }
            if (stale.isEmpty()) {
                return; // every hint of the page was taken, or the batch is full
            }
            hintCollection.bulkWrite(stale, new BulkWriteOptions().ordered(false));
            if (hints.size() < page) {
                return;
            }
            hints.forEach(h -> taken.add(h.get("_id")));
        }
    }

    private void collectHinted(MongoCollection<Document> collection, List<Document> hints, int maxEntries, List<Pending> pending,
                               List<OutboxEntry> batch, List<WriteModel<Document>> stale) {
        java.util.Map<String, Document> documents = new java.util.HashMap<>();
        List<Object> ids = hints.stream().map(h -> h.get("documentId")).toList();
        findByIds(collection, ids, Projections.include("_id", MongoOutbox.FIELD), d -> documents.put(MongoOutbox.aggregateId(d.get("_id")), d));
        for (Document hint : hints) {
            Document document = documents.get(MongoOutbox.aggregateId(hint.get("documentId")));
            if (document == null || document.getList(MongoOutbox.FIELD, Document.class, List.of()).isEmpty()) {
                stale.add(new DeleteOneModel<>(Filters.and(Filters.eq("_id", hint.get("_id")), Filters.eq("n", hint.get("n")))));
            } else if (batch.size() < maxEntries) {
                take(collection, document, maxEntries, pending, batch);
            }
        }
    }

    /** Reads documents with pending events, appending their entries (array order) until the batch is full. */
    private void collect(MongoCollection<Document> collection, int maxEntries, List<Pending> pending, List<OutboxEntry> batch) {
        int room = maxEntries - batch.size();
        try (MongoCursor<Document> cursor = collection.find(Filters.exists(ID_PATH))
                .projection(Projections.include("_id", MongoOutbox.FIELD))
                .limit(room)
                .batchSize(Math.min(room, 1000))
                .iterator()) {
            while (cursor.hasNext() && batch.size() < maxEntries) {
                take(collection, cursor.next(), maxEntries, pending, batch);
            }
        }
    }

    /** Appends the pending entries of one document (array order), as far as the batch has room. */
    private void take(MongoCollection<Document> collection, Document document, int maxEntries, List<Pending> pending, List<OutboxEntry> batch) {
        Object documentId = document.get("_id");
        String aggregateId = MongoOutbox.aggregateId(documentId);
        List<Document> elements = document.getList(MongoOutbox.FIELD, Document.class, List.of());
        List<String> ids = new ArrayList<>();
        for (Document element : elements) {
            if (batch.size() >= maxEntries) {
                break;
            }
            OutboxEntry entry;
            try {
                entry = MongoOutbox.toEntry(aggregateId, element);
            } catch (IllegalArgumentException e) {
                // Only a bug or a hand edit makes one; publishing what follows would break the
                // aggregate's order, so this aggregate waits (and is counted as pending) until fixed.
                LOG.errorf("%s: the events of %s %s wait until the element is fixed", e.getMessage(),
                        collection.getNamespace().getCollectionName(), aggregateId);
                break;
            }
            batch.add(entry);
            ids.add(entry.id().toString());
        }
        if (!ids.isEmpty()) {
            pending.add(new Pending(collection, documentId, ids));
        }
    }

    /**
     * Removes the delivered entries from their documents: one atomic {@code $pull} per document. A {@link BulkOutbox}
     * batch all of whose events were delivered is deleted instead (a pass takes a ready batch whole, and nobody else
     * changes it), rather than rewritten empty and then deleted; one that changed meanwhile is pulled from, and deleted
     * if that left it empty.
     */
    private int pull(List<Pending> pending, Set<UUID> delivered) {
        Set<String> deliveredIds = new HashSet<>();
        delivered.forEach(id -> deliveredIds.add(id.toString()));
        int removed = 0;
        List<WriteModel<Document>> updates = new ArrayList<>();
        List<WriteModel<Document>> wholeBatches = new ArrayList<>();
        List<WriteModel<Document>> wholeBatchPulls = new ArrayList<>();
        List<Object> wholeBatchIds = new ArrayList<>();
        MongoCollection<Document> current = null;
        for (Pending p : pending) {
            List<String> ids = p.entryIds().stream().filter(deliveredIds::contains).toList();
            if (ids.isEmpty()) {
                continue;
            }
            removed += ids.size();
            UpdateOneModel<Document> pull = new UpdateOneModel<>(Filters.eq("_id", p.documentId()),
                    Updates.pull(MongoOutbox.FIELD, Filters.in("id", ids)));
            if (p.collection().getNamespace().equals(bulk.getNamespace()) && ids.size() == p.entryIds().size()) {
                wholeBatches.add(new DeleteOneModel<>(Filters.and(Filters.eq("_id", p.documentId()),
                        Filters.size(MongoOutbox.FIELD, ids.size()))));
                wholeBatchPulls.add(pull);
                wholeBatchIds.add(p.documentId());
                continue;
            }
            if (current != null && !current.getNamespace().equals(p.collection().getNamespace())) {
                current.bulkWrite(updates, new BulkWriteOptions().ordered(false));
                updates = new ArrayList<>();
            }
            current = p.collection();
            updates.add(pull);
        }
        if (current != null && !updates.isEmpty()) {
            current.bulkWrite(updates, new BulkWriteOptions().ordered(false));
        }
        if (!wholeBatches.isEmpty()
                && bulk.bulkWrite(wholeBatches, new BulkWriteOptions().ordered(false)).getDeletedCount() < wholeBatches.size()) {
            bulk.bulkWrite(wholeBatchPulls, new BulkWriteOptions().ordered(false)); // a no-op on the batches deleted
            bulk.deleteMany(Filters.and(Filters.in("_id", wholeBatchIds), Filters.size(MongoOutbox.FIELD, 0)));
        }
        return removed;
    }

    @Override
    public long pending() {
        long total = 0;
        for (Document b : bulk.find().projection(Projections.include(MongoOutbox.FIELD + ".id"))) {
            total += b.getList(MongoOutbox.FIELD, Document.class, List.of()).size();
        }
        if (sweepEvery != null) {
            return total + pendingHinted();
        }
        for (String name : collections) {
            List<Bson> pipeline = List.of(
                    new Document("$match", Filters.exists(ID_PATH)),
                    new Document("$project", new Document("n", new Document("$size", "$" + MongoOutbox.FIELD))),
                    new Document("$group", new Document("_id", null).append("n", new Document("$sum", "$n"))));
            Document result = database.getCollection(name).aggregate(pipeline).first();
            if (result != null) {
                total += ((Number) result.get("n")).longValue();
            }
        }
        return total;
    }

    /** The pending events of the hinted documents (what the next passes will publish, sweeps aside). */
    private long pendingHinted() {
        long[] total = {0};
        List<Document> hints = database.getCollection(MongoOutbox.HINTS).find().into(new ArrayList<>());
        for (String name : collections) {
            List<Object> ids = hints.stream().filter(h -> name.equals(h.getString("collection"))).map(h -> h.get("documentId")).toList();
            findByIds(database.getCollection(name), ids, Projections.include(MongoOutbox.FIELD),
                    d -> total[0] += d.getList(MongoOutbox.FIELD, Document.class, List.of()).size());
        }
        return total[0];
    }

    /** Reads the documents of {@code collection} with these {@code _id}s, 1,000 ids per query. */
    private static void findByIds(MongoCollection<Document> collection, List<?> ids, Bson projection, java.util.function.Consumer<Document> each) {
        for (int from = 0; from < ids.size(); from += 1000) {
            collection.find(Filters.in("_id", ids.subList(from, Math.min(ids.size(), from + 1000)))).projection(projection).forEach(each);
        }
    }

    /**
     * Takes or renews the lease.
     *
     * @return whether this store holds it now
     */
    boolean acquireLease() {
        Date now = new Date(clock.millis());
        Date until = new Date(clock.millis() + leaseTtl.toMillis());
        try {
            // The filter matches only a lease that is ours or expired, so an update that went through (matched,
            // or inserted the first lease) means we hold it; the returned document is not needed. (The wire test
            // server's AFTER documents are not snapshots under concurrency, so none is relied upon.)
            leases.findOneAndUpdate(
                    Filters.and(Filters.eq("_id", LEASE_ID),
                            Filters.or(Filters.eq("owner", owner), Filters.lt("expiresAt", now))),
                    Updates.combine(Updates.set("owner", owner), Updates.set("expiresAt", until),
                            Updates.set("renewedAt", now)),
                    new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.BEFORE)
                            .projection(Projections.include("_id")));
            if (!holding) {
                LOG.infof("outbox relay lease taken by %s", owner);
            }
            return true;
        } catch (MongoException e) {
            if (ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY) {
                if (holding) {
                    LOG.infof("outbox relay lease of %s was taken over by another replica", owner);
                }
                return false; // another replica holds an unexpired lease
            }
            throw e;
        }
    }

    /** Gives the lease up (if held), so another replica can relay at once. */
    public void releaseLease() {
        try {
            leases.updateOne(Filters.and(Filters.eq("_id", LEASE_ID), Filters.eq("owner", owner)),
                    Updates.set("expiresAt", new Date(0)));
        } catch (MongoException e) {
            LOG.debugf("could not release the outbox relay lease: %s", e.getMessage());
        }
        holding = false;
    }

    /**
     * Creates a sparse index on {@code outbox.id} in every outbox collection, so finding the documents with
     * pending events does not scan the collection (real MongoDB; the wire server ignores such indexes).
     */
    public void ensureIndexes() {
        if (indexesEnsured) {
            return;
        }
        try {
            for (String name : collections) {
                database.getCollection(name).createIndex(Indexes.ascending(ID_PATH),
                        new IndexOptions().sparse(true).name("outbox_pending"));
            }
            indexesEnsured = true;
        } catch (MongoException e) {
            LOG.warnf("could not create the outbox index (relaying works without it, slower): %s", e.getMessage());
            indexesEnsured = true;
        }
    }

    @Override
    public void close() {
        releaseLease();
    }

    private record Pending(MongoCollection<Document> collection, Object documentId, List<String> entryIds) {
    }
}
