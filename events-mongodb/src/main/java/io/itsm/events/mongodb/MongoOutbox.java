package io.itsm.events.mongodb;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Updates;

import io.itsm.events.outbox.OutboxEntry;

/**
 * The MongoDB outbox: events wait <b>inside the aggregate document they describe</b>, in the array field
 * {@value #FIELD}, and are added in the same single-document write as the state change (an element of the
 * inserted document, or a {@code $push} combined with the update). A single-document write is atomic on
 * every MongoDB (and on the MongoDB-wire test server, which has no transactions), so an event exists
 * exactly when its state change does. {@link MongoOutboxStore} publishes the elements and pulls them.
 *
 * <p>Element layout: {@code {id: "<uuid>", aggregateType, type, source, dataschema, time: Date,
 * payload: "<the JSON data, byte-exact>", traceparent, requestId}}; the aggregate id is the document's {@code _id}.
 *
 * <p>Rules for code that writes aggregate documents: never replace a whole document (a {@code replaceOne}
 * or {@code $set} of {@value #FIELD} would drop or resurrect events the relay is handling); change
 * documents with field updates and add events only with {@link #push}; exclude {@value #FIELD} from what
 * the API returns ({@link #excludeField()}).
 */
public final class MongoOutbox {

    /** The array field that holds an aggregate document's pending events. */
    public static final String FIELD = "outbox";
    /**
     * The collection of pending-event hints ({@link #hint}): {@code {_id: "<collection>:<document id>", collection,
     * documentId, n}}, one per document that may hold pending events.
     */
    public static final String HINTS = "outbox_pending";

    private MongoOutbox() {
    }

    /** The BSON element of one pending event. */
    public static Document element(OutboxEntry entry) {
        Document element = new Document("id", entry.id().toString())
                .append("aggregateType", entry.aggregateType())
                .append("type", entry.type())
                .append("source", entry.source().toString())
                .append("dataschema", entry.dataschema() == null ? null : entry.dataschema().toString())
                .append("time", Date.from(entry.time()))
                .append("payload", new String(entry.payload(), StandardCharsets.UTF_8));
        if (entry.traceparent() != null) {
            element.append("traceparent", entry.traceparent());
        }
        if (entry.requestId() != null) {
            element.append("requestId", entry.requestId());
        }
        return element;
    }

    /** The elements of several events, in order, e.g. for the {@value #FIELD} field of a document being inserted. */
    public static List<Document> elements(List<OutboxEntry> entries) {
        List<Document> elements = new ArrayList<>(entries.size());
        entries.forEach(e -> elements.add(element(e)));
        return elements;
    }

    /**
     * Adds the events to a document that is about to be inserted (after any events it already holds).
     *
     * @return the same document
     */
    public static Document addTo(Document document, List<OutboxEntry> entries) {
        List<Document> outbox = new ArrayList<>(elements(entries));
        Object existing = document.get(FIELD);
        if (existing instanceof List<?> list) {
            List<Object> merged = new ArrayList<>(list);
            merged.addAll(outbox);
            document.put(FIELD, merged);
        } else {
            document.put(FIELD, outbox);
        }
        return document;
    }

    /**
     * The update fragment that appends the events to the document's outbox; combine it with the state change
     * ({@code Updates.combine(set(...), inc("version", 1), MongoOutbox.push(entry))}) in one update.
     */
    public static Bson push(OutboxEntry... entries) {
        return push(List.of(entries));
    }

    /** As {@link #push(OutboxEntry...)}, for a list of events (kept in list order). */
    public static Bson push(List<OutboxEntry> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no events to push");
        }
        return entries.size() == 1 ? Updates.push(FIELD, element(entries.get(0)))
                : Updates.pushEach(FIELD, elements(entries));
    }

    /**
     * Notes that these documents of {@code collection} got pending events: call <b>after</b> the write that added them. The relay then finds them by the hints instead
     * of scanning the collection (which the MongoDB-wire store, ignoring the sparse index on {@code outbox.id}, would do in
     * full). The relay removes a hint once its document has no events, unless a writer renewed it meanwhile ({@code n}
     * counts renewals). The order matters: a hint written <i>before</i> the write could be read, its document found
     * without events and the hint removed before the write landed, leaving the events unhinted. A writer that stops
     * between its write and its hint leaves unhinted events too; the relay's sweep finds those.
     */
    public static void hint(MongoDatabase database, String collection, java.util.Collection<?> documentIds) {
        if (documentIds.isEmpty()) {
            return;
        }
        List<com.mongodb.client.model.WriteModel<Document>> upserts = new ArrayList<>(documentIds.size());
        for (Object id : documentIds) {
            upserts.add(new com.mongodb.client.model.UpdateOneModel<>(
                    com.mongodb.client.model.Filters.eq("_id", hintId(collection, id)),
                    Updates.combine(Updates.set("collection", collection), Updates.set("documentId", id), Updates.inc("n", 1L)),
                    new com.mongodb.client.model.UpdateOptions().upsert(true)));
        }
        for (int from = 0; from < upserts.size(); from += 1000) {
            database.getCollection(HINTS).bulkWrite(upserts.subList(from, Math.min(upserts.size(), from + 1000)),
                    new com.mongodb.client.model.BulkWriteOptions().ordered(false));
        }
    }

    /** The {@code _id} of the hint of a document of {@code collection}: the document's key. */
    static String hintId(String collection, Object documentId) {
        return documentKey(collection, documentId);
    }

    /** A document's key in the relay's bookkeeping: {@code <collection>:<aggregate id>}. */
    static String documentKey(String collection, Object documentId) {
        return collection + ":" + aggregateId(documentId);
    }

    /** A projection that leaves the outbox out, for reads that feed the API. */
    public static Bson excludeField() {
        return new Document(FIELD, 0);
    }

    /**
     * Reads an element back into an entry of the aggregate {@code aggregateId}.
     *
     * @throws IllegalArgumentException when the element lacks a required field or has an unreadable one
     */
    public static OutboxEntry toEntry(String aggregateId, Document element) {
        try {
            String dataschema = element.getString("dataschema");
            Date time = element.getDate("time");
            String payload = element.getString("payload");
            String source = element.getString("source");
            if (time == null || payload == null || source == null) {
                throw new IllegalArgumentException("time, payload and source are required");
            }
            return new OutboxEntry(UUID.fromString(element.getString("id")), element.getString("aggregateType"),
                    aggregateId, element.getString("type"), URI.create(source),
                    dataschema == null ? null : URI.create(dataschema), time.toInstant(),
                    payload.getBytes(StandardCharsets.UTF_8), element.getString("traceparent"),
                    element.getString("requestId"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("outbox element " + element.get("id") + " of aggregate " + aggregateId
                    + " is malformed: " + e.getMessage(), e);
        }
    }

    /** The aggregate id of a document: its {@code _id} as a string (a UUID string in this suite). */
    public static String aggregateId(Object documentId) {
        if (documentId instanceof ObjectId oid) {
            return oid.toHexString();
        }
        return String.valueOf(documentId);
    }
}
