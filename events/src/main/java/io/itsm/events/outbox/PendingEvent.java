package io.itsm.events.outbox;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An event still held by an outbox, as far as {@link OutboxPublisher#alreadyPublished} needs it: its id, the topic it
 * goes to and when it was written (no event can have been published before that).
 */
public record PendingEvent(UUID id, String topic, Instant time) {

    public PendingEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(time, "time");
    }
}
