package io.itsm.cmdb.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.jboss.logging.Logger;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;

import io.itsm.cmdb.domain.CiRevision;
import io.itsm.cmdb.domain.ConfigurationItem;
import io.itsm.events.mongodb.MongoOutbox;
import io.itsm.events.outbox.OutboxEntry;
import io.quarkus.runtime.StartupEvent;

/**
 * The {@code ci} collection. Every write that changes a CI is one single-document write that also adds the
 * change's event to the document's outbox, so state and event are atomic without transactions; every
 * update is a compare-and-swap on {@code version}. Reads never return the outbox.
 */
@ApplicationScoped
public class CiRepository {

    private static final Logger LOG = Logger.getLogger(CiRepository.class);
    private static final String CREATED_BY = "createdBy";
    private static final String CREATED_SOURCE = "createdSource";
    private static final String FIELD_SOURCES = "fieldSources";
    private static final String IDEMPOTENCY_FINGERPRINT = "idempotencyFingerprint";
    /**
     * How many relationships were ever joined to the CI ({@link #join}); never part of the CI's state, version or
     * events. A write that is only right while the CI has no relationship (retiring, reclassifying) names the count
     * it read before it looked for relationships, so an edge made meanwhile cannot slip past it.
     */
    private static final String LINKS = "links";

    @Inject
    CmdbDatabase db;

    @Inject
    CiHistoryRepository history;

    @Inject
    io.itsm.cmdb.graph.CiCache cache;

    private volatile boolean indexesReady;

    /** Creates the indexes in the background at start, so an unreachable MongoDB does not delay start-up. */
    void indexes(@Observes StartupEvent start) {
        CompletableFuture.runAsync(this::ensureIndexes);
    }

    /** Unique {@code number}; newest-first listing, class filter, name lookups. Retried by the next create when MongoDB was away at start. */
    void ensureIndexes() {
        if (indexesReady) {
            return;
        }
        try {
            MongoCollection<Document> cis = cis();
            cis.createIndex(Indexes.ascending(CiDocuments.NUMBER), new IndexOptions().unique(true).name("ci_number"));
            cis.createIndex(Indexes.descending(CiDocuments.CREATED_AT, CiDocuments.ID), new IndexOptions().name("ci_newest"));
            cis.createIndex(Indexes.ascending(CiDocuments.CI_CLASS, CiDocuments.CREATED_AT), new IndexOptions().name("ci_class_created"));
            cis.createIndex(Indexes.ascending("name"), new IndexOptions().name("ci_name"));
            // redundant on MongoDB (the _id index finds the document); the MongoDB-wire store answers a query from an
            // index only when the query names exactly that index's fields, so without it every compare-and-swap on
            // {_id, version} is a scan of every CI there
            cis.createIndex(Indexes.ascending(CiDocuments.ID, CiDocuments.VERSION), new IndexOptions().unique(true).name("ci_id_version"));
            indexesReady = true;
        } catch (MongoException e) {
            LOG.warnf("could not create the ci indexes yet (MongoDB unavailable?): %s", e.getMessage());
        }
    }

    /** Inserts a new CI with its creation event in its outbox: one insert. */
    public void insert(ConfigurationItem ci, OutboxEntry created, String actor, String source) {
        insert(ci, created, actor, source, null);
    }

    /**
     * Inserts a new CI; with an idempotency fingerprint, the CI's id is derived from the request's key, so the insert
     * itself claims the key: a repeat collides on {@code _id}.
     *
     * @throws DuplicateIdException when a CI of that id exists (a repeated Idempotency-Key)
     */
    public void insert(ConfigurationItem ci, OutboxEntry created, String actor, String source, String idempotencyFingerprint) {
        ensureIndexes();
        Document d = MongoOutbox.addTo(newDocument(ci, actor, source), List.of(created));
        if (idempotencyFingerprint != null) {
            d.append(IDEMPOTENCY_FINGERPRINT, idempotencyFingerprint);
        }
        try {
            cis().insertOne(d);
            cache.put(ci);
        } catch (com.mongodb.MongoWriteException e) {
            if (idempotencyFingerprint != null && e.getError().getCategory() == com.mongodb.ErrorCategory.DUPLICATE_KEY
                    && cis().find(Filters.eq(CiDocuments.ID, ci.id())).projection(new Document(CiDocuments.ID, 1)).first() != null) {
                throw new DuplicateIdException();
            }
            throw e;
        }
    }

    /** A CI of this id exists already. */
    public static final class DuplicateIdException extends RuntimeException {
        DuplicateIdException() {
            super(null, null, false, false);
        }
    }

    /** The fingerprint of the request that created the CI under an Idempotency-Key, if it was. */
    public Optional<String> idempotencyFingerprint(String id) {
        Document d = cis().find(Filters.eq(CiDocuments.ID, id)).projection(new Document(IDEMPOTENCY_FINGERPRINT, 1)).first();
        return Optional.ofNullable(d).map(doc -> doc.getString(IDEMPOTENCY_FINGERPRINT));
    }

    /**
     * Inserts new CIs in one round trip, without their creation events: the caller keeps those beside them
     * ({@code DocumentOutbox.insertAll}).
     */
    public void insertAll(List<ConfigurationItem> items, String actor, String source) {
        ensureIndexes();
        List<Document> documents = new ArrayList<>(items.size());
        for (ConfigurationItem item : items) {
            documents.add(newDocument(item, actor, source));
        }
        if (!documents.isEmpty()) {
            cis().insertMany(documents);
            items.forEach(cache::put);
        }
    }

    private static Document newDocument(ConfigurationItem ci, String actor, String source) {
        Document sources = new Document();
        Document attributeSources = new Document();
        for (String field : List.of("name", "status", "environment", "criticality", "owner", "supportGroup")) {
            sources.append(field, source);
        }
        ci.attributes().keySet().forEach(key -> attributeSources.append(key, source));
        sources.append("attributes", attributeSources);
        return CiDocuments.toDocument(ci).append(CREATED_BY, actor).append(CREATED_SOURCE, source).append(FIELD_SOURCES, sources)
                .append(LINKS, 0L);
    }

    /** The CIs with these ids with, for each, which source last wrote each field ({@code attributes.<key>} for attributes). */
    public Map<String, Stored> findStored(java.util.Collection<String> ids) {
        Map<String, Stored> found = new java.util.HashMap<>();
        for (List<String> part : Batches.of(ids)) {
            cis().find(Filters.in(CiDocuments.ID, part))
                    .projection(new Document(MongoOutbox.FIELD, 0).append(CiHistoryRepository.JOURNAL, 0))
                    .forEach(d -> {
                        if (!CiDocuments.isDeleted(d)) {
                            found.put(d.getString(CiDocuments.ID), new Stored(CiDocuments.fromDocument(d), sources(d.get(FIELD_SOURCES, Document.class))));
                        }
                    });
        }
        return found;
    }

    /** A CI and which source last wrote each of its fields. */
    public record Stored(ConfigurationItem ci, Map<String, String> fieldSources) {
    }

    private static Map<String, String> sources(Document d) {
        Map<String, String> sources = new java.util.HashMap<>();
        if (d != null) {
            d.forEach((field, value) -> {
                if (value instanceof Document attributes) {
                    attributes.forEach((key, source) -> sources.put(field + "." + key, String.valueOf(source)));
                } else if (value != null) {
                    sources.put(field, String.valueOf(value));
                }
            });
        }
        return sources;
    }

    /** Who created the CI and through which source: {@code [actor, source]}, empty for an unknown CI. */
    public Optional<String[]> creator(String id) {
        Document d = cis().find(Filters.eq(CiDocuments.ID, id)).projection(new Document(CREATED_BY, 1).append(CREATED_SOURCE, 1)).first();
        return Optional.ofNullable(d).map(doc -> new String[]{doc.getString(CREATED_BY), doc.getString(CREATED_SOURCE)});
    }

    /** The CI, unless it does not exist or was deleted. */
    public Optional<ConfigurationItem> find(String id) {
        return findEvenDeleted(id).filter(found -> !found.deletedAsOf(null)).map(Found::ci);
    }

    /** The CI, or what is left of a deleted one: its last state and when it was deleted. */
    public Optional<Found> findEvenDeleted(String id) {
        Document d = cis().find(Filters.eq(CiDocuments.ID, id)).projection(withoutPending()).first();
        return Optional.ofNullable(d).map(doc -> new Found(CiDocuments.fromDocument(doc),
                doc.getDate(CiDocuments.DELETED_AT) == null ? null : doc.getDate(CiDocuments.DELETED_AT).toInstant(),
                doc.getString(CiDocuments.DELETED_BY)));
    }

    /** A stored CI; {@code deletedAt} and {@code deletedBy} are set when it was deleted ({@code ci} is its last state). */
    public record Found(ConfigurationItem ci, java.time.Instant deletedAt, String deletedBy) {

        /** Whether the CI was deleted by {@code instant} (null: by now). */
        public boolean deletedAsOf(java.time.Instant instant) {
            return deletedAt != null && (instant == null || !instant.isBefore(deletedAt));
        }
    }

    /** The CIs with these ids that exist and are not deleted, in no particular order (batches of 1000 ids per query). */
    public List<ConfigurationItem> findAll(java.util.Collection<String> ids) {
        return findAll(ids, false);
    }

    /** {@link #findAll}, with the last state of deleted CIs too (for answers about the past). */
    public List<ConfigurationItem> findAllEvenDeleted(java.util.Collection<String> ids) {
        return findAll(ids, true);
    }

    private List<ConfigurationItem> findAll(java.util.Collection<String> ids, boolean deletedToo) {
        List<ConfigurationItem> items = new ArrayList<>();
        for (List<String> part : Batches.of(ids)) {
            cis().find(Filters.in(CiDocuments.ID, part)).projection(withoutPending()).forEach(d -> {
                if (deletedToo || !CiDocuments.isDeleted(d)) {
                    items.add(CiDocuments.fromDocument(d));
                }
            });
        }
        return items;
    }

    /** The CIs created in {@code (from, to]}, oldest first, at most {@code limit} (as they are now). */
    public List<ConfigurationItem> createdBetween(java.time.Instant from, java.time.Instant to, int limit) {
        List<ConfigurationItem> items = new ArrayList<>();
        cis().find(Filters.and(Filters.gt(CiDocuments.CREATED_AT, java.util.Date.from(from)), Filters.lte(CiDocuments.CREATED_AT, java.util.Date.from(to))))
                .projection(withoutPending()).sort(Sorts.ascending(CiDocuments.CREATED_AT, CiDocuments.ID)).limit(limit)
                .forEach(d -> items.add(CiDocuments.fromDocument(d)));
        return items;
    }

    /** The ids of the CIs with these numbers (number → id), deleted CIs left out. */
    public Map<String, String> idsByNumber(java.util.Collection<String> numbers) {
        Map<String, String> ids = new java.util.HashMap<>();
        for (List<String> part : Batches.of(numbers)) {
            cis().find(Filters.in(CiDocuments.NUMBER, part)).projection(new Document(CiDocuments.NUMBER, 1).append(CiDocuments.DELETED_AT, 1))
                    .forEach(d -> {
                        if (!CiDocuments.isDeleted(d)) {
                            ids.put(d.getString(CiDocuments.NUMBER), d.getString(CiDocuments.ID));
                        }
                    });
        }
        return ids;
    }

    /** Calls {@code each} with every CI of these classes (retired ones included, deleted ones not), a batch at a time. */
    public void forEachOfClasses(java.util.Set<String> classes, java.util.function.Consumer<ConfigurationItem> each) {
        cis().find(Filters.and(Filters.in(CiDocuments.CI_CLASS, classes), Filters.eq(CiDocuments.DELETED_AT, null)))
                .projection(withoutPending()).batchSize(1000).forEach(d -> each.accept(CiDocuments.fromDocument(d)));
    }

    /** How many CIs (retired ones included, deleted ones not) are of exactly this class. */
    public long countOfClass(String ciClass) {
        return cis().countDocuments(Filters.and(Filters.eq(CiDocuments.CI_CLASS, ciClass), Filters.eq(CiDocuments.DELETED_AT, null)));
    }

    /**
     * The CI's relationship count ({@link #LINKS}): read it before looking for the CI's relationships and hand it to
     * {@link #update} with a write that needs none. Zero: no relationship was ever joined to the CI, so there is none to
     * look for (one being made now moves the count before it may stay).
     *
     * @return null for a CI stored before the count existed (it may have relationships; {@link #update} takes it as 0)
     */
    public Long links(String id) {
        Document d = cis().find(Filters.eq(CiDocuments.ID, id)).projection(new Document(LINKS, 1)).first();
        return d == null || d.get(LINKS) == null ? null : ((Number) d.get(LINKS)).longValue();
    }

    /**
     * Joins a relationship that was just stored to one of its ends: counts it on the CI, then checks that the CI is
     * still unretired and of the class the relationship rules were checked against. Called after the edge's insert, so
     * that a retire or reclassification either sees the edge or finds the count moved (and looks again); one that
     * wrote before the count moved is seen here. The count is raised by {@code _id} alone and the state read after it
     * (a retired CI stays retired; a class that is back to the checked one is the class the edge is valid for): a
     * filter on more fields would be a scan of every CI on the MongoDB-wire store, whose indexes answer only queries on
     * exactly their fields.
     *
     * @return false when the CI was retired, reclassified or deleted meanwhile: the edge must be withdrawn
     */
    public boolean join(String id, String ciClass) {
        Document after = cis().findOneAndUpdate(Filters.eq(CiDocuments.ID, id), Updates.inc(LINKS, 1L),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER).projection(JOINABILITY));
        return after != null && joinable(after, ciClass);
    }

    /**
     * {@link #join} for many CIs: one update and one read ({@code ciClass} by CI id; 1,000 ids per query).
     *
     * @return the ids of the CIs that could not be joined
     */
    public Set<String> joinAll(Map<String, String> classById) {
        Set<String> lost = new java.util.HashSet<>(classById.keySet());
        for (List<String> part : Batches.of(classById.keySet())) {
            cis().updateMany(Filters.in(CiDocuments.ID, part), Updates.inc(LINKS, 1L));
            cis().find(Filters.in(CiDocuments.ID, part)).projection(JOINABILITY).forEach(d -> {
                if (joinable(d, classById.get(d.getString(CiDocuments.ID)))) {
                    lost.remove(d.getString(CiDocuments.ID));
                }
            });
        }
        return lost;
    }

    private static final Document JOINABILITY = new Document(CiDocuments.STATUS, 1).append(CiDocuments.CI_CLASS, 1)
            .append(CiDocuments.DELETED_AT, 1);

    private static boolean joinable(Document d, String ciClass) {
        return !CiDocuments.isDeleted(d) && !"RETIRED".equals(d.getString(CiDocuments.STATUS)) && ciClass.equals(d.getString(CiDocuments.CI_CLASS));
    }

    /**
     * Writes the CI's next state if it is still at {@code expectedVersion}: every field, the event and the revision it
     * ends (kept in the document's {@code journal} until {@link CiHistoryRepository} has projected it) in one
     * {@code findOneAndUpdate}.
     *
     * @param expectedLinks when given, also only while no relationship was joined to the CI since {@link #links} read it
     * @return the CI as stored, or empty when the CI changed (or vanished) since it was read
     */
    public Optional<ConfigurationItem> update(ConfigurationItem after, long expectedVersion, Long expectedLinks, OutboxEntry event,
                                              CiRevision ended, Map<String, String> sourcesOfChangedFields) {
        return write(after, expectedVersion, expectedLinks, event, ended, sourcesOfChangedFields, List.of());
    }

    /**
     * Deletes the CI if it is still at {@code expectedVersion} and no relationship was joined to it since
     * {@code expectedLinks} was read: {@code last} (its state, one version on) stays in the document with
     * {@code deletedAt}, for history and time travel; every other read leaves it out.
     */
    public Optional<ConfigurationItem> delete(ConfigurationItem last, long expectedVersion, long expectedLinks, String actor, OutboxEntry event,
                                              CiRevision ended) {
        Optional<ConfigurationItem> deleted = write(last, expectedVersion, expectedLinks, event, ended, Map.of(), List.of(
                Updates.set(CiDocuments.DELETED_AT, java.util.Date.from(last.updatedAt())), Updates.set(CiDocuments.DELETED_BY, actor)));
        deleted.ifPresent(ci -> cache.evict(ci.id()));
        return deleted;
    }

    /** One CI's compare-and-swap in {@link #updateAll}: what {@link #update} takes. */
    public record Update(ConfigurationItem after, long expectedVersion, OutboxEntry event, CiRevision ended,
                         Map<String, String> sourcesOfChangedFields) {
    }

    /**
     * {@link #update} of many CIs (each at most once) in one bulk write instead of a round trip each: each CI is written
     * only if it is still at its expected version, as one single-document write with its event and revision.
     *
     * @return the ids of the CIs written; the others changed since they were read and are as they were
     */
    public Set<String> updateAll(List<Update> updates) {
        Set<String> ids = new java.util.LinkedHashSet<>();
        List<WriteModel<Document>> writes = new ArrayList<>(updates.size());
        for (Update u : updates) {
            if (!ids.add(u.after().id())) {
                throw new IllegalArgumentException("CI " + u.after().id() + " is written twice in one bulk update");
            }
            writes.add(new UpdateOneModel<>(unchanged(u.after().id(), u.expectedVersion()),
                    update(u.after(), u.event(), u.ended(), u.sourcesOfChangedFields(), List.of())));
        }
        long matched = 0;
        for (List<WriteModel<Document>> part : Batches.of(writes)) {
            matched += cis().bulkWrite(part, new BulkWriteOptions().ordered(false)).getMatchedCount();
        }
        Set<String> written = ids;
        if (matched < updates.size()) {
            // which ones lost: each matched write stored the revision it ended, so a CI whose revision is stored was written
            Map<String, String> ciByRevision = new java.util.HashMap<>();
            updates.forEach(u -> ciByRevision.put(u.ended().id(), u.after().id()));
            written = new java.util.HashSet<>();
            for (String revision : history.stored(ciByRevision)) {
                written.add(ciByRevision.get(revision));
            }
        }
        for (Update u : updates) {
            if (written.contains(u.after().id())) {
                cache.put(u.after());
            }
        }
        return written;
    }

    private Optional<ConfigurationItem> write(ConfigurationItem after, long expectedVersion, Long expectedLinks, OutboxEntry event,
                                              CiRevision ended, Map<String, String> sourcesOfChangedFields, List<Bson> more) {
        Bson update = update(after, event, ended, sourcesOfChangedFields, more);
        Bson unchanged = unchanged(after.id(), expectedVersion);
        if (expectedLinks != null) {
            // a CI written before the count existed has none: that is zero
            unchanged = Filters.and(unchanged, expectedLinks == 0
                    ? Filters.or(Filters.eq(LINKS, 0L), Filters.exists(LINKS, false)) : Filters.eq(LINKS, expectedLinks));
        }
        Document stored = cis().findOneAndUpdate(unchanged,
                update,
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER).projection(withoutPending()));
        Optional<ConfigurationItem> written = Optional.ofNullable(stored).map(CiDocuments::fromDocument);
        written.ifPresent(cache::put);
        return written;
    }

    /** The update that writes {@code after} with its event and the revision it ends, and {@code more}. */
    private Bson update(ConfigurationItem after, OutboxEntry event, CiRevision ended, Map<String, String> sourcesOfChangedFields,
                        List<Bson> more) {
        List<Bson> sets = new ArrayList<>(more);
        CiDocuments.mutableFields(after).forEach((field, value) -> sets.add(Updates.set(field, value)));
        sourcesOfChangedFields.forEach((field, source) -> sets.add(Updates.set(FIELD_SOURCES + "." + field, source)));
        return Updates.combine(
                Updates.combine(sets),
                MongoOutbox.push(event),
                Updates.push(CiHistoryRepository.JOURNAL, history.toDocument(ended)));
    }

    /** The CI while still at {@code expectedVersion}. */
    private static Bson unchanged(String id, long expectedVersion) {
        // one flat document, not Filters.and (which renders $and): so the MongoDB-wire store finds it by ci_id_version
        return new Document(CiDocuments.ID, id).append(CiDocuments.VERSION, expectedVersion);
    }

    /** Leaves out what never reaches the API: the pending events and the pending revisions. */
    static Bson withoutPending() {
        return new Document(MongoOutbox.FIELD, 0).append(CiHistoryRepository.JOURNAL, 0).append(FIELD_SOURCES, 0);
    }

    private MongoCollection<Document> cis() {
        return db.collection(CmdbDatabase.CIS);
    }
}
