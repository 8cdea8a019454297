package io.itsm.events.mongodb;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.jboss.logging.Logger;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;

import io.itsm.events.outbox.OutboxEntry;

/**
 * The events of documents inserted in bulk, kept <b>beside</b> the documents instead of inside them: per
 * {@code insertMany} of up to {@value #MAX_EVENTS} new documents, one batch document in {@value #COLLECTION} holds
 * their creation events. It is written before the documents (state {@value #WRITING}) and marked {@value #READY}
 * after them, without the events of documents the insert refused (e.g. duplicates). A relay publishes a ready batch
 * and deletes it; an event's document then exists, so the event is true. A batch left writing by a writer that
 * failed or died is resolved by the relay after {@code recoverAfter}: the events of the documents that exist are
 * published, the others dropped (a new document's {@code _id} either landed or did not). A live writer that stalled
 * for longer than that between its two writes (an insert of 500 takes well under a second) finds its batch resolved
 * when it marks it ready, and writes the creation events of what it inserted into those documents again (same event
 * ids: what the recovery published already is ignored by the consumers).
 *
 * <p>Why: inside the documents, every new document costs the store a hint, a read and a rewrite (the pull) after its
 * insert; here a batch of 500 costs three writes and a delete. Order per aggregate holds because a document named by
 * a batch that still exists has its own later events held back (see {@link MongoOutboxStore}): they were written after
 * the batch, since the document did not exist before it.
 *
 * <p>Batch layout: {@code {_id, collection, state, at: Date, documentIds: [...], outbox: [element + documentId]}}.
 */
public final class BulkOutbox {

    /** The collection of batch documents. */
    public static final String COLLECTION = "outbox_batch";
    /** Most events (documents) per batch: the relay's usual batch, so a pass publishes whole batches. */
    public static final int MAX_EVENTS = 500;

    static final String TARGET = "collection";
    static final String STATE = "state";
    static final String AT = "at";
    static final String DOCUMENT_IDS = "documentIds";
    static final String DOCUMENT_ID = "documentId";
    static final String WRITING = "writing";
    static final String READY = "ready";

    private static final Logger LOG = Logger.getLogger(BulkOutbox.class);

    private BulkOutbox() {
    }

    /** The caller's insert of the new documents at positions {@code from} (inclusive) to {@code to} (exclusive). */
    @FunctionalInterface
    public interface Insert {
        /**
         * @return the positions (of the whole list) of documents it did not insert, e.g. those that existed already; an
         *         insert that failed otherwise throws
         */
        Set<Integer> insert(int from, int to);
    }

    /**
     * Inserts new documents of {@code collection} with one event each ({@code events.get(i)} describes
     * {@code documentIds.get(i)}), {@value #MAX_EVENTS} at a time, each part between its batch's two writes.
     *
     * @return the positions of the documents the insert refused (their events are dropped)
     */
    public static Set<Integer> insert(MongoDatabase database, String collection, List<?> documentIds, List<OutboxEntry> events,
                                      Insert insert, Clock clock) {
        if (documentIds.size() != events.size()) {
            throw new IllegalArgumentException(documentIds.size() + " documents but " + events.size() + " events");
        }
        MongoCollection<Document> batches = database.getCollection(COLLECTION);
        Set<Integer> refused = new HashSet<>();
        for (int from = 0; from < documentIds.size(); from += MAX_EVENTS) {
            int to = Math.min(documentIds.size(), from + MAX_EVENTS);
            List<Document> elements = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                elements.add(MongoOutbox.element(events.get(i)).append(DOCUMENT_ID, documentIds.get(i)));
            }
            String id = UUID.randomUUID().toString();
            batches.insertOne(new Document("_id", id).append(TARGET, collection).append(STATE, WRITING)
                    .append(AT, new Date(clock.millis())).append(DOCUMENT_IDS, new ArrayList<>(documentIds.subList(from, to)))
                    .append(MongoOutbox.FIELD, elements));
            Set<Integer> notInserted = insert.insert(from, to);
            Bson ready = Updates.set(STATE, READY);
            if (!notInserted.isEmpty()) {
                List<Object> dropped = notInserted.stream().<Object>map(documentIds::get).toList();
                ready = Updates.combine(ready, Updates.pull(MongoOutbox.FIELD, Filters.in(DOCUMENT_ID, dropped)));
                refused.addAll(notInserted);
            }
            if (batches.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq(STATE, WRITING)), ready).getMatchedCount() == 0) {
                reissue(database, collection, documentIds, events, from, to, notInserted, id);
            }
        }
        return refused;
    }

    /**
     * A relay took this writer's batch for abandoned (the writer stalled for longer than its {@code recoverAfter}
     * between the batch and the insert): it kept the events of the documents that existed then and dropped the others,
     * which this writer inserted since. Each document inserted gets its creation event again, inside it and first in
     * line, and a hint: those the recovery dropped are published now, and those it published go out a second time with
     * the same event id, which every consumer ignores (delivery is at-least-once, consumers idempotent). They wait, as
     * any event of a document the batch names, until the batch has been published.
     */
    private static void reissue(MongoDatabase database, String collection, List<?> documentIds, List<OutboxEntry> events,
                                int from, int to, Set<Integer> notInserted, String batchId) {
        List<WriteModel<Document>> updates = new ArrayList<>();
        List<Object> inserted = new ArrayList<>();
        for (int i = from; i < to; i++) {
            if (!notInserted.contains(i)) {
                inserted.add(documentIds.get(i));
                updates.add(new UpdateOneModel<>(Filters.eq("_id", documentIds.get(i)),
                        Updates.pushEach(MongoOutbox.FIELD, List.of(MongoOutbox.element(events.get(i))), new PushOptions().position(0))));
            }
        }
        LOG.warnf("outbox batch %s of %s was resolved by a relay before this writer marked it ready (the writer took longer than "
                + "bulk-recover-after): the creation events of its %d inserted documents are written into them again", batchId,
                collection, inserted.size());
        if (!updates.isEmpty()) {
            database.getCollection(collection).bulkWrite(updates, new BulkWriteOptions().ordered(false));
            MongoOutbox.hint(database, collection, inserted);
        }
    }
}
