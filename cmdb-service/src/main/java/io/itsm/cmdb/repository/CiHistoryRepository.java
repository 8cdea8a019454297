package io.itsm.cmdb.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.bson.Document;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;

import io.itsm.cmdb.domain.CiRevision;
import io.itsm.events.FieldChange;
import io.quarkus.runtime.StartupEvent;

/**
 * The past versions of CIs. A change writes the revision it ends into the CI document's {@code journal} array in the
 * same single-document write as the change (atomic without transactions, like the outbox); {@link #project} copies
 * pending revisions into the {@code ci_history} collection (idempotent: keyed by the ending event's id) and pulls them
 * from the document. Reads merge both, so history is complete the moment a change is acknowledged.
 */
@ApplicationScoped
public class CiHistoryRepository {

    static final String JOURNAL = "journal";
    static final String COLLECTION = "ci_history";
    /** {@code <ciId>:<version>}: unique, so that a CI's revisions are found by index on the MongoDB-wire store too. */
    static final String KEY = "key";
    private static final Logger LOG = Logger.getLogger(CiHistoryRepository.class);
    private static final TypeReference<List<FieldChange>> CHANGES = new TypeReference<>() {
    };

    @Inject
    CmdbDatabase db;

    @Inject
    ObjectMapper json;

    /** Whether every stored revision has its {@link #KEY} (revisions stored before it existed get theirs at start). */
    private volatile boolean keyed;

    void indexes(@Observes StartupEvent start) {
        CompletableFuture.runAsync(this::prepare);
    }

    /** Creates the indexes and gives the revisions stored before {@link #KEY} existed theirs; retried while the store is away. */
    void prepare() {
        try {
            history().createIndex(Indexes.ascending("ciId", "validTo"), new IndexOptions().name("history_ci_validto"));
            history().createIndex(Indexes.ascending(KEY), new IndexOptions().unique(true).sparse(true).name("history_key"));
            db.collection(CmdbDatabase.CIS).createIndex(Indexes.ascending(JOURNAL + ".id"),
                    new IndexOptions().sparse(true).name("ci_journal_pending"));
            int keyedNow = 0;
            for (Document d : history().find(Filters.exists(KEY, false)).projection(Projections.include("ciId", "version"))) {
                history().updateOne(Filters.eq("_id", d.get("_id")), Updates.set(KEY, key(d.getString("ciId"), ((Number) d.get("version")).longValue())));
                keyedNow++;
            }
            if (keyedNow > 0) {
                LOG.infof("gave %d CI revisions stored before revision keys existed their key", keyedNow);
            }
            keyed = true;
        } catch (MongoException e) {
            LOG.warnf("could not prepare the CI history yet (MongoDB unavailable?): %s; retrying in 5 s", e.getMessage());
            CompletableFuture.runAsync(this::prepare, CompletableFuture.delayedExecutor(5, java.util.concurrent.TimeUnit.SECONDS));
        }
    }

    static String key(String ciId, long version) {
        return ciId + ":" + version;
    }

    Document toDocument(CiRevision r) {
        try {
            return new Document("id", r.id())
                    .append(KEY, key(r.ciId(), r.state().version()))
                    .append("ciId", r.ciId())
                    .append("version", r.state().version())
                    .append("state", CiDocuments.toDocument(r.state()))
                    .append("validFrom", Date.from(r.validFrom()))
                    .append("validTo", Date.from(r.validTo()))
                    .append("actor", r.actor())
                    .append("source", r.source())
                    .append("eventType", r.eventType())
                    .append("changes", json.writeValueAsString(r.changes()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a revision's changes could not be written as JSON", e);
        }
    }

    private CiRevision fromDocument(Document d) {
        try {
            return new CiRevision(d.getString("id"), d.getString("ciId"), CiDocuments.fromDocument(d.get("state", Document.class)),
                    d.getDate("validFrom").toInstant(), d.getDate("validTo").toInstant(), d.getString("actor"), d.getString("source"),
                    d.getString("eventType"), json.readValue(d.getString("changes"), CHANGES));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("revision " + d.getString("id") + " is not readable", e);
        }
    }

    /**
     * Every past version of the CI, oldest first: projected ones and those still pending in its document. The projected
     * ones are read by their keys (versions 0 to the CI's current one), so on either store by index, not by a search of
     * every CI's history.
     */
    public List<CiRevision> revisions(String ciId) {
        Map<String, CiRevision> byId = new LinkedHashMap<>();
        Document ci = db.collection(CmdbDatabase.CIS).find(Filters.eq("_id", ciId)).projection(Projections.include(JOURNAL, "version")).first();
        if (keyed && ci != null && ci.get("version") instanceof Number current) {
            List<String> keys = new ArrayList<>();
            for (long v = 0; v < current.longValue(); v++) {
                keys.add(key(ciId, v));
            }
            for (List<String> part : Batches.of(keys)) {
                history().find(Filters.in(KEY, part)).forEach(d -> byId.put(d.getString("id"), fromDocument(d)));
            }
        } else {
            history().find(Filters.eq("ciId", ciId)).forEach(d -> byId.put(d.getString("id"), fromDocument(d)));
        }
        pendingOf(ci).forEach(r -> byId.putIfAbsent(r.id(), r));
        List<CiRevision> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparingLong(r -> r.state().version()));
        return all;
    }

    /** The version of the CI that was current at {@code instant}, if it was a past version (else the document holds it). */
    public Optional<CiRevision> revisionAt(String ciId, Instant instant) {
        return revisions(ciId).stream().filter(r -> r.currentAt(instant)).findFirst();
    }

    /**
     * {@link #revisionAt} for many CIs: one query of {@code ci_history} per 1,000 CIs (on the MongoDB-wire store, which
     * ignores its index on {@code ciId}, each is one read of the whole history rather than one per CI), and their
     * pending revisions by id.
     *
     * @return the past version current at {@code instant} by CI id, for the CIs that had one
     */
    public Map<String, CiRevision> revisionsAt(Collection<String> ciIds, Instant instant) {
        Map<String, CiRevision> at = new HashMap<>();
        for (List<String> part : Batches.of(ciIds)) {
            history().find(Filters.and(Filters.in("ciId", part), Filters.gt("validTo", Date.from(instant)),
                    Filters.lte("validFrom", Date.from(instant)))).forEach(d -> at.putIfAbsent(d.getString("ciId"), fromDocument(d)));
            db.collection(CmdbDatabase.CIS).find(Filters.in("_id", part)).projection(Projections.include(JOURNAL))
                    .forEach(ci -> pendingOf(ci).stream().filter(r -> r.currentAt(instant)).forEach(r -> at.putIfAbsent(r.ciId(), r)));
        }
        return at;
    }

    /**
     * Which of these revisions are stored, pending in their CI's document or projected: those a write stored.
     *
     * @param ciByRevision each revision's id and the id of its CI
     */
    public Set<String> stored(Map<String, String> ciByRevision) {
        Set<String> stored = new HashSet<>();
        // the documents before the history: a revision projected in between is then in the history
        for (List<String> part : Batches.of(new HashSet<>(ciByRevision.values()))) {
            db.collection(CmdbDatabase.CIS).find(Filters.in("_id", part)).projection(Projections.include(JOURNAL))
                    .forEach(ci -> ci.getList(JOURNAL, Document.class, List.of()).forEach(r -> stored.add(r.getString("id"))));
        }
        stored.retainAll(ciByRevision.keySet());
        List<String> others = ciByRevision.keySet().stream().filter(id -> !stored.contains(id)).toList();
        for (List<String> part : Batches.of(others)) {
            history().find(Filters.in("_id", part)).projection(Projections.include("_id")).forEach(d -> stored.add(d.getString("_id")));
        }
        return stored;
    }

    /**
     * The projected revisions ending in {@code (from, to]} of every CI (for the topology diff), oldest first, at most
     * {@code limit}; the caller projects this replica's pending ones first ({@code HistoryProjector#projectNow}).
     */
    public List<CiRevision> endedBetween(Instant from, Instant to, int limit) {
        List<CiRevision> ended = new ArrayList<>();
        history().find(Filters.and(Filters.gt("validTo", Date.from(from)), Filters.lte("validTo", Date.from(to))))
                .sort(Sorts.ascending("validTo", "version")).limit(limit).forEach(d -> ended.add(fromDocument(d)));
        return ended;
    }

    private List<CiRevision> pendingOf(Document ci) {
        List<CiRevision> pending = new ArrayList<>();
        if (ci != null && ci.get(JOURNAL) instanceof List<?> list) {
            list.forEach(e -> pending.add(fromDocument((Document) e)));
        }
        return pending;
    }

    /**
     * Moves pending revisions of up to {@code maxDocuments} CIs, whichever have some, into {@code ci_history}: the sweep
     * for revisions no hint names (another replica's, a crash's). On the MongoDB-wire store the search reads every CI.
     *
     * @return how many CIs had pending revisions (at most {@code maxDocuments}: there may be more)
     */
    public int project(int maxDocuments) {
        List<Document> pending = new ArrayList<>();
        db.collection(CmdbDatabase.CIS).find(Filters.exists(JOURNAL + ".0")).projection(Projections.include(JOURNAL)).limit(maxDocuments)
                .forEach(pending::add);
        move(pending);
        return pending.size();
    }

    /** Moves the pending revisions of these CIs into {@code ci_history}, the CIs found by id (by index on either store). */
    public int projectDocuments(Collection<String> ciIds) {
        int projected = 0;
        for (List<String> part : Batches.of(ciIds)) {
            List<Document> documents = new ArrayList<>();
            db.collection(CmdbDatabase.CIS).find(Filters.in("_id", part)).projection(Projections.include(JOURNAL)).forEach(documents::add);
            projected += move(documents);
        }
        return projected;
    }

    /**
     * Copies each document's pending revisions into {@code ci_history} (replaced by id, so a repeat changes nothing), then
     * pulls exactly those from the document: safe on several replicas at once. Two bulk writes.
     */
    private int move(List<Document> cis) {
        List<WriteModel<Document>> copies = new ArrayList<>();
        List<WriteModel<Document>> pulls = new ArrayList<>();
        for (Document ci : cis) {
            List<String> ids = new ArrayList<>();
            for (Object element : ci.getList(JOURNAL, Object.class, List.of())) {
                Document revision = (Document) element;
                Document stored = new Document(revision).append("_id", revision.getString("id"));
                if (!stored.containsKey(KEY)) { // pending since before revision keys existed
                    stored.append(KEY, key(stored.getString("ciId"), ((Number) stored.get("version")).longValue()));
                }
                copies.add(new ReplaceOneModel<>(Filters.eq("_id", stored.getString("_id")), stored, new ReplaceOptions().upsert(true)));
                ids.add(revision.getString("id"));
            }
            if (!ids.isEmpty()) {
                pulls.add(new UpdateOneModel<>(Filters.eq("_id", ci.get("_id")), Updates.pull(JOURNAL, Filters.in("id", ids))));
            }
        }
        if (copies.isEmpty()) {
            return 0;
        }
        for (List<WriteModel<Document>> part : Batches.of(copies)) {
            history().bulkWrite(part, new BulkWriteOptions().ordered(false));
        }
        for (List<WriteModel<Document>> part : Batches.of(pulls)) {
            db.collection(CmdbDatabase.CIS).bulkWrite(part, new BulkWriteOptions().ordered(false));
        }
        return copies.size();
    }

    private MongoCollection<Document> history() {
        return db.collection(COLLECTION);
    }
}
