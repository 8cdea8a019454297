package io.itsm.cmdb.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.jboss.logging.Logger;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;

import io.itsm.cmdb.domain.CiStatus;
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

    @Inject
    CmdbDatabase db;

    private volatile boolean indexesReady;

    /** Creates the indexes in the background at start, so an unreachable MongoDB does not delay start-up. */
    void indexes(@Observes StartupEvent start) {
        CompletableFuture.runAsync(this::ensureIndexes);
    }

    /** Unique {@code number}; newest-first listing. Retried by the next create when MongoDB was away at start. */
    void ensureIndexes() {
        if (indexesReady) {
            return;
        }
        try {
            MongoCollection<Document> cis = cis();
            cis.createIndex(Indexes.ascending(CiDocuments.NUMBER), new IndexOptions().unique(true).name("ci_number"));
            cis.createIndex(Indexes.descending(CiDocuments.CREATED_AT, CiDocuments.ID), new IndexOptions().name("ci_newest"));
            indexesReady = true;
        } catch (MongoException e) {
            LOG.warnf("could not create the ci indexes yet (MongoDB unavailable?): %s", e.getMessage());
        }
    }

    /** Inserts a new CI with its creation event in its outbox: one insert. */
    public void insert(ConfigurationItem ci, OutboxEntry created) {
        ensureIndexes();
        cis().insertOne(MongoOutbox.addTo(CiDocuments.toDocument(ci), List.of(created)));
    }

    public Optional<ConfigurationItem> find(String id) {
        Document d = cis().find(Filters.eq(CiDocuments.ID, id)).projection(MongoOutbox.excludeField()).first();
        return Optional.ofNullable(d).map(CiDocuments::fromDocument);
    }

    /** The CIs with these ids that exist, in no particular order (batches of 1000 ids per query). */
    public List<ConfigurationItem> findAll(java.util.Collection<String> ids) {
        List<ConfigurationItem> items = new ArrayList<>();
        List<String> all = List.copyOf(ids);
        for (int from = 0; from < all.size(); from += 1000) {
            cis().find(Filters.in(CiDocuments.ID, all.subList(from, Math.min(all.size(), from + 1000))))
                    .projection(MongoOutbox.excludeField()).forEach(d -> items.add(CiDocuments.fromDocument(d)));
        }
        return items;
    }

    /** How many CIs (retired ones included) are of exactly this class. */
    public long countOfClass(String ciClass) {
        return cis().countDocuments(Filters.eq("ciClass", ciClass));
    }

    /** The newest CIs first (creation time, then id). */
    public List<ConfigurationItem> newest(int limit) {
        List<ConfigurationItem> items = new ArrayList<>();
        cis().find().projection(MongoOutbox.excludeField())
                .sort(Sorts.descending(CiDocuments.CREATED_AT, CiDocuments.ID))
                .limit(limit)
                .forEach(d -> items.add(CiDocuments.fromDocument(d)));
        return items;
    }

    /**
     * Retires the CI if it is still at {@code expectedVersion}: status, version, update time and the event in one
     * {@code findOneAndUpdate}.
     *
     * @return the retired CI, or empty when the CI changed (or vanished) since it was read
     */
    public Optional<ConfigurationItem> retire(String id, long expectedVersion, Instant now, OutboxEntry retired) {
        Bson update = Updates.combine(
                Updates.set(CiDocuments.STATUS, CiStatus.RETIRED.name()),
                Updates.set(CiDocuments.VERSION, expectedVersion + 1),
                Updates.set(CiDocuments.UPDATED_AT, Date.from(now)),
                MongoOutbox.push(retired));
        Document after = cis().findOneAndUpdate(
                Filters.and(Filters.eq(CiDocuments.ID, id), Filters.eq(CiDocuments.VERSION, expectedVersion)),
                update,
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER).projection(MongoOutbox.excludeField()));
        return Optional.ofNullable(after).map(CiDocuments::fromDocument);
    }

    private MongoCollection<Document> cis() {
        return db.collection(CmdbDatabase.CIS);
    }
}
