package io.itsm.events.mongodb.quarkus;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.itsm.events.Aggregate;
import io.itsm.events.mongodb.BulkOutbox;
import io.itsm.events.mongodb.MongoOutbox;
import io.itsm.events.outbox.OutboxEntry;
import io.itsm.events.quarkus.OutboxRelayService;
import io.itsm.events.quarkus.TraceContext;

/**
 * What a MongoDB service calls to publish an event (the analogue of the PostgreSQL {@code TransactionalOutbox}):
 * the event goes into the {@code outbox} array of the aggregate's own document, in the same single-document
 * write as the state change, so it exists exactly when the change does.
 *
 * <pre>{@code
 * OutboxEntry event = outbox.event(Aggregate.CI, id, "retired", data);
 * Document after = outbox.write(() -> cis.findOneAndUpdate(and(eq("_id", id), eq("version", v)),
 *         combine(set("status", "RETIRED"), inc("version", 1), outbox.push(event)), options));
 * }</pre>
 *
 * {@link #write} hints the written documents for the relay and wakes it once the write returned; a caller that writes
 * itself calls {@link #written(String, java.util.Collection)} after its write.
 */
@ApplicationScoped
public class DocumentOutbox {

    @Inject
    TraceContext trace;

    @Inject
    ObjectMapper objectMapper;

    @Inject
    OutboxRelayService relay;

    @Inject
    MongoEventsConfig config;

    @Inject
    com.mongodb.client.MongoClient client;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.mongodb.database")
    String database;

    /**
     * Builds an event of the aggregate, e.g. {@code event(CI, id, "created", data)}; nothing is written yet.
     * The time is truncated to milliseconds, the precision a BSON date keeps.
     *
     * @param data the event data (the aggregate's full new state and what changed), serialised with the
     *             application's ObjectMapper
     * @throws IllegalStateException when no outbox collection is configured: the event would never be relayed
     */
    public OutboxEntry event(Aggregate aggregate, String aggregateId, String action, Object data) {
        if (config.outboxCollections().map(List::isEmpty).orElse(true)) {
            throw new IllegalStateException("itsm.events.mongodb.outbox-collections lists no collection: "
                    + "an event written now would never be relayed");
        }
        byte[] payload;
        try {
            payload = objectMapper.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data is not serialisable: " + e.getMessage(), e);
        }
        return OutboxEntry.of(aggregate, aggregateId, action, payload, Instant.now().truncatedTo(ChronoUnit.MILLIS),
                trace.traceparent(), trace.requestId());
    }

    /**
     * As {@link #event(Aggregate, String, String, Object)}, named by the full event type, e.g.
     * {@code eventOfType(EventTypes.CI_CREATED, id, data)}; the aggregate follows from the type.
     */
    public OutboxEntry eventOfType(String eventType, String aggregateId, Object data) {
        Aggregate aggregate = Aggregate.ofEventType(eventType)
                .orElseThrow(() -> new IllegalArgumentException("no aggregate publishes " + eventType));
        String prefix = aggregate.eventType("");
        return event(aggregate, aggregateId, eventType.substring(prefix.length()), data);
    }

    /** The update fragment that adds the events to the document; combine it with the state change's update. */
    public Bson push(OutboxEntry... entries) {
        return MongoOutbox.push(Arrays.asList(entries));
    }

    /** Adds the events to a document about to be inserted; returns the document. */
    public Document addTo(Document document, OutboxEntry... entries) {
        return MongoOutbox.addTo(document, Arrays.asList(entries));
    }

    /**
     * Runs the caller's write that adds events to these documents of {@code collection}, then hints them for the relay
     * (when {@code itsm.events.mongodb.pending-hints} is on) and asks it to publish now. A write that throws is not
     * hinted: the store is most likely unreachable, and a hint would only wait out a second timeout; what such a write
     * left (a bulk write that failed part-way) the relay's sweep finds.
     */
    public <T> T write(String collection, java.util.Collection<?> documentIds, Supplier<T> write) {
        T result = write.get();
        written(collection, documentIds);
        return result;
    }

    /**
     * For callers that write themselves: hints the documents that the write just gave events (it must come <b>after</b>
     * the write, see {@link MongoOutbox#hint}) and asks the relay to publish now.
     */
    public void written(String collection, java.util.Collection<?> documentIds) {
        hint(collection, documentIds);
        written();
    }

    private void hint(String collection, java.util.Collection<?> documentIds) {
        if (config.pendingHints()) {
            MongoOutbox.hint(client.getDatabase(database), collection, documentIds);
        }
    }

    /**
     * Inserts new documents of {@code collection} in bulk with one event each ({@code events.get(i)} describes
     * {@code documentIds.get(i)}), the events kept beside the documents ({@link BulkOutbox}) rather than in them, then asks
     * the relay to publish now. {@code insert} inserts the documents at the positions it is given, <b>without</b> events.
     *
     * @return the positions of the documents the insert refused (their events are dropped)
     */
    public java.util.Set<Integer> insertAll(String collection, List<?> documentIds, List<OutboxEntry> events, BulkOutbox.Insert insert) {
        java.util.Set<Integer> refused = BulkOutbox.insert(client.getDatabase(database), collection, documentIds, events, insert,
                java.time.Clock.systemUTC());
        written();
        return refused;
    }

    /** Runs the caller's single-document write and, when it returned, asks the relay to publish now. */
    public <T> T write(Supplier<T> write) {
        T result = write.get();
        written();
        return result;
    }

    /** Asks the relay to publish now; call after a write that added events succeeded. */
    public void written() {
        relay.wakeUp();
    }
}
