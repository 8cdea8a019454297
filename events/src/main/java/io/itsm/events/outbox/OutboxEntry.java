package io.itsm.events.outbox;

import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.itsm.events.Aggregate;
import io.itsm.events.CloudEvent;
import io.itsm.events.trace.Causation;

/**
 * One event waiting in an outbox: written in the same transaction (or document write) as the state change
 * it describes, published later by the {@link OutboxRelay}. The fields mirror Debezium's outbox layout
 * ({@code id, aggregatetype, aggregateid, type, payload}) plus the CloudEvents attributes the relay needs.
 */
public record OutboxEntry(
        UUID id,
        String aggregateType,
        String aggregateId,
        String type,
        URI source,
        URI dataschema,
        Instant time,
        byte[] payload,
        String traceparent,
        String requestId) {

    public OutboxEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(aggregateType, "aggregateType");
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(payload, "payload");
    }

    /** A new entry for an action of an aggregate, e.g. {@code (INCIDENT, id, "created", json)}. */
    public static OutboxEntry of(Aggregate aggregate, String aggregateId, String action, byte[] payload,
                                 Instant time, String traceparent, String requestId) {
        return new OutboxEntry(UUID.randomUUID(), aggregate.typeName(), aggregateId, aggregate.eventType(action),
                aggregate.source(), aggregate.dataschema(), time, payload, traceparent, requestId);
    }

    /** The topic this entry is published to, from its aggregate type. */
    public String topic() {
        return Aggregate.ofTypeName(aggregateType)
                .orElseThrow(() -> new IllegalStateException("unknown aggregate type " + aggregateType))
                .topic();
    }

    public CloudEvent toCloudEvent() {
        Map<String, String> extensions = new HashMap<>();
        if (traceparent != null && !traceparent.isBlank()) {
            extensions.put(Causation.TRACEPARENT, traceparent);
        }
        if (requestId != null && !requestId.isBlank()) {
            extensions.put(Causation.REQUEST_ID, requestId);
        }
        return new CloudEvent(id, source, type, aggregateId, time, dataschema, payload, extensions);
    }
}
