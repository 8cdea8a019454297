package io.itsm.cmdb.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.jboss.logging.Logger;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;

import io.itsm.cmdb.domain.Relationship;
import io.itsm.cmdb.domain.RelationshipType;
import io.itsm.events.mongodb.MongoOutbox;
import io.itsm.events.outbox.OutboxEntry;
import io.quarkus.runtime.StartupEvent;

/**
 * The {@code relationship} collection: one document per edge, carrying its own outbox like a CI. An active edge
 * holds {@code key = source|TYPE|target}, which a unique index keeps single; deleting sets {@code deletedAt} and
 * moves the key aside in the same compare-and-swap write, so the edge can be created again and history keeps it.
 */
@ApplicationScoped
public class RelationshipRepository {

    private static final Logger LOG = Logger.getLogger(RelationshipRepository.class);

    static final String ID = "_id";
    static final String KEY = "key";
    static final String TYPE = "type";
    static final String SOURCE = "sourceId";
    static final String TARGET = "targetId";
    static final String VERSION = "version";
    static final String CREATED_AT = "createdAt";
    static final String DELETED_AT = "deletedAt";
    static final String CREATED_BY = "createdBy";
    static final String DELETED_BY = "deletedBy";
    static final String CREATED_SOURCE = "createdSource";
    static final String DELETED_SOURCE = "deletedSource";

    @Inject
    CmdbDatabase db;

    private volatile boolean indexesReady;

    /** Thrown when the edge exists already. */
    public static final class DuplicateEdgeException extends RuntimeException {
        DuplicateEdgeException() {
            super(null, null, false, false);
        }
    }

    void indexes(@Observes StartupEvent start) {
        CompletableFuture.runAsync(this::ensureIndexes);
    }

    /** Unique active edge; lookups by either end (ignored by the MongoDB-wire test server, used by MongoDB). */
    void ensureIndexes() {
        if (indexesReady) {
            return;
        }
        try {
            MongoCollection<Document> edges = edges();
            edges.createIndex(Indexes.ascending(KEY), new IndexOptions().unique(true).name("relationship_key"));
            edges.createIndex(Indexes.ascending(SOURCE), new IndexOptions().name("relationship_source"));
            edges.createIndex(Indexes.ascending(TARGET), new IndexOptions().name("relationship_target"));
            // what changed since an instant (past impact, topology diff)
            edges.createIndex(Indexes.ascending(CREATED_AT), new IndexOptions().name("relationship_created_at"));
            edges.createIndex(Indexes.ascending(DELETED_AT), new IndexOptions().name("relationship_deleted_at"));
            // for the compare-and-swap of a delete on the MongoDB-wire store (see CiRepository's ci_id_version)
            edges.createIndex(Indexes.ascending(ID, VERSION), new IndexOptions().unique(true).name("relationship_id_version"));
            indexesReady = true;
        } catch (MongoException e) {
            LOG.warnf("could not create the relationship indexes yet (MongoDB unavailable?): %s", e.getMessage());
        }
    }

    static String key(String sourceId, RelationshipType type, String targetId) {
        return sourceId + "|" + type.name() + "|" + targetId;
    }

    /**
     * Inserts a new edge with its creation event: one insert.
     *
     * @throws DuplicateEdgeException when the same active edge exists
     */
    public void insert(Relationship r, OutboxEntry created) {
        ensureIndexes();
        try {
            edges().insertOne(MongoOutbox.addTo(newDocument(r), List.of(created)));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                throw new DuplicateEdgeException();
            }
            throw e;
        }
    }

    /**
     * Inserts new edges in one unordered round trip, without their creation events: the caller keeps those beside them
     * ({@code DocumentOutbox.insertAll}).
     *
     * @return the positions of the edges that existed already (not inserted)
     */
    public Set<Integer> insertAll(List<Relationship> edges) {
        ensureIndexes();
        List<Document> documents = new ArrayList<>(edges.size());
        for (Relationship r : edges) {
            documents.add(newDocument(r));
        }
        Set<Integer> duplicates = new java.util.HashSet<>();
        if (documents.isEmpty()) {
            return duplicates;
        }
        try {
            edges().insertMany(documents, new com.mongodb.client.model.InsertManyOptions().ordered(false));
        } catch (com.mongodb.MongoBulkWriteException e) {
            for (var error : e.getWriteErrors()) {
                if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                duplicates.add(error.getIndex());
            }
        }
        return duplicates;
    }

    private static Document newDocument(Relationship r) {
        return new Document(ID, r.id()).append(KEY, key(r.sourceId(), r.type(), r.targetId())).append(TYPE, r.type().name())
                .append(SOURCE, r.sourceId()).append(TARGET, r.targetId()).append(VERSION, r.version())
                .append(CREATED_AT, Date.from(r.createdAt())).append(DELETED_AT, null).append(CREATED_BY, r.createdBy())
                .append(CREATED_SOURCE, r.createdSource());
    }

    public Optional<Relationship> find(String id) {
        return Optional.ofNullable(edges().find(Filters.eq(ID, id)).projection(MongoOutbox.excludeField()).first())
                .map(RelationshipRepository::fromDocument);
    }

    /**
     * Stores {@code deleted} (the edge deleted, one version on) if the edge is still at the version before: one
     * compare-and-swap with its event.
     *
     * @return the deleted edge, or empty when it changed (or vanished) since it was read
     */
    public Optional<Relationship> delete(Relationship deleted, OutboxEntry event) {
        long expectedVersion = deleted.version() - 1;
        String id = deleted.id();
        Bson update = Updates.combine(Updates.set(KEY, "deleted:" + id), Updates.set(DELETED_AT, Date.from(deleted.deletedAt())),
                Updates.set(DELETED_BY, deleted.deletedBy()), Updates.set(DELETED_SOURCE, deleted.deletedSource()),
                Updates.set(VERSION, deleted.version()), MongoOutbox.push(event));
        // {_id, version} alone, one flat document: a delete raises the version, so a deleted edge no longer matches, and
        // the MongoDB-wire store finds it by relationship_id_version instead of scanning every edge
        Document after = edges().findOneAndUpdate(new Document(ID, id).append(VERSION, expectedVersion), update,
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER).projection(MongoOutbox.excludeField()));
        return Optional.ofNullable(after).map(RelationshipRepository::fromDocument);
    }

    /**
     * The edges that touch any of {@code ciIds} at their {@code end} ("source" or "target" side) and are active now, or
     * were active at {@code asOf} when it is given (deleted edges are kept, so the past topology is still there).
     */
    public List<Relationship> activeAt(String end, Collection<String> ciIds, Collection<RelationshipType> types, Instant asOf) {
        List<Relationship> result = new ArrayList<>();
        if (ciIds.isEmpty() || types.isEmpty()) {
            return result;
        }
        Bson when = asOf == null ? Filters.eq(DELETED_AT, null) : existedAt(asOf);
        Bson filter = Filters.and(Filters.in(end.equals("source") ? SOURCE : TARGET, ciIds), when,
                Filters.in(TYPE, types.stream().map(Enum::name).toList()));
        edges().find(filter).projection(MongoOutbox.excludeField()).forEach(d -> result.add(fromDocument(d)));
        return result;
    }

    /** Every active edge of a CI, either end, oldest first. */
    public List<Relationship> activeOf(String ciId) {
        List<Relationship> result = new ArrayList<>();
        edges().find(Filters.and(Filters.or(Filters.eq(SOURCE, ciId), Filters.eq(TARGET, ciId)), Filters.eq(DELETED_AT, null)))
                .projection(MongoOutbox.excludeField()).sort(new Document(CREATED_AT, 1).append(ID, 1))
                .forEach(d -> result.add(fromDocument(d)));
        return result;
    }

    /**
     * The active edges with these ends, found by their unique key: indexed lookups on either store (the MongoDB-wire
     * store scans for {@link #activeOf}, since it ignores the indexes on the ends), in key batches of 1,000.
     */
    public List<Relationship> activeWithEnds(Collection<Relationship.Ends> ends) {
        List<String> keys = ends.stream().map(e -> key(e.sourceId(), e.type(), e.targetId())).toList();
        List<Relationship> result = new ArrayList<>(keys.size());
        for (int from = 0; from < keys.size(); from += 1000) {
            // the key alone, so that the store answers from the unique index; a deleted edge's key was moved aside
            edges().find(Filters.in(KEY, keys.subList(from, Math.min(keys.size(), from + 1000)))).projection(MongoOutbox.excludeField())
                    .forEach(d -> result.add(fromDocument(d)));
        }
        result.removeIf(Relationship::isDeleted);
        return result;
    }

    /** Calls {@code each} with every active edge (for the in-memory graph), a batch at a time. */
    public void forEachActive(java.util.function.Consumer<Relationship> each) {
        edges().find(Filters.eq(DELETED_AT, null)).projection(MongoOutbox.excludeField()).batchSize(5000)
                .forEach(d -> each.accept(fromDocument(d)));
    }

    /** The edges created or deleted in {@code (from, to]}, oldest change first, at most {@code limit}. */
    public List<Relationship> changedBetween(Instant from, Instant to, int limit) {
        List<Relationship> result = new ArrayList<>();
        edges().find(changed(from, to)).projection(MongoOutbox.excludeField()).sort(new Document(CREATED_AT, 1).append(ID, 1))
                .limit(limit).forEach(d -> result.add(fromDocument(d)));
        return result;
    }

    /**
     * The edges created or deleted after {@code instant}, in no particular order, at most {@code limit}: what undoes the
     * present graph back to that instant. One query (on the MongoDB-wire store one read of every relationship, against
     * one per level and end for a walk over the stored edges).
     */
    public List<Relationship> changedSince(Instant instant, int limit) {
        List<Relationship> result = new ArrayList<>();
        edges().find(changed(instant, null)).projection(MongoOutbox.excludeField()).limit(limit).forEach(d -> result.add(fromDocument(d)));
        return result;
    }

    /** The edges that existed at {@code instant}, in no particular order, at most {@code limit}. One query, like {@link #changedSince}. */
    public List<Relationship> activeAt(Instant instant, int limit) {
        List<Relationship> result = new ArrayList<>();
        edges().find(existedAt(instant)).projection(MongoOutbox.excludeField()).limit(limit).forEach(d -> result.add(fromDocument(d)));
        return result;
    }

    /** Edges that existed at {@code instant}: made by then, not deleted by then. */
    private static Bson existedAt(Instant instant) {
        return Filters.and(Filters.lte(CREATED_AT, Date.from(instant)),
                Filters.or(Filters.eq(DELETED_AT, null), Filters.gt(DELETED_AT, Date.from(instant))));
    }

    /** Edges made or deleted in {@code (from, to]}; {@code to} null: since {@code from}. */
    private static Bson changed(Instant from, Instant to) {
        return Filters.or(within(CREATED_AT, from, to), within(DELETED_AT, from, to));
    }

    private static Bson within(String field, Instant from, Instant to) {
        return to == null ? Filters.gt(field, Date.from(from)) : Filters.and(Filters.gt(field, Date.from(from)), Filters.lte(field, Date.from(to)));
    }

    static Relationship fromDocument(Document d) {
        Date deletedAt = d.getDate(DELETED_AT);
        return new Relationship(d.getString(ID), RelationshipType.valueOf(d.getString(TYPE)), d.getString(SOURCE), d.getString(TARGET),
                ((Number) d.get(VERSION)).longValue(), d.getDate(CREATED_AT).toInstant(), deletedAt == null ? null : deletedAt.toInstant(),
                d.getString(CREATED_BY), d.getString(DELETED_BY), d.getString(CREATED_SOURCE), d.getString(DELETED_SOURCE));
    }

    private MongoCollection<Document> edges() {
        return db.collection(CmdbDatabase.RELATIONSHIPS);
    }
}
