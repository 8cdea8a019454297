package io.itsm.events.outbox;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * An event still held by an outbox, as far as {@link OutboxPublisher#alreadyPublished} needs it: its id, its aggregate,
 * the topic it goes to and when it was written (no event can have been published before that).
 */
public record PendingEvent(UUID id, String aggregateId, String topic, Instant time) {

    public PendingEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(time, "time");
    }

    /**
     * Of the pending events (in publish order), those a store may forget because they are published: per aggregate, the
     * published ones up to its first unpublished one. A published event after an unpublished one of its aggregate stays,
     * to be published again after it, so the last copy of every event on the topic is still in the aggregate's order.
     */
    public static Set<UUID> publishedPrefixes(List<PendingEvent> inOrder, Set<UUID> published) {
        Set<UUID> forget = new HashSet<>();
        Set<String> interrupted = new HashSet<>();
        for (PendingEvent event : inOrder) {
            if (interrupted.contains(event.aggregateId())) {
                continue;
            }
            if (published.contains(event.id())) {
                forget.add(event.id());
            } else {
                interrupted.add(event.aggregateId());
            }
        }
        return forget;
    }
}
