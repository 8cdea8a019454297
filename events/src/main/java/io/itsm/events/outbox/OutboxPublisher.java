package io.itsm.events.outbox;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Publishes a batch of outbox entries and says which of them the broker acknowledged, or had already. */
public interface OutboxPublisher {

    /**
     * Publishes the entries in the given order.
     *
     * @return the ids of the entries that are durably published. An entry whose aggregate had an earlier
     *         entry fail in the same batch is never reported delivered, so no aggregate's events can
     *         overtake each other across a retry.
     */
    Set<UUID> publish(List<OutboxEntry> entries);

    /**
     * Which of these events are on their topics already. A store asks this when a relay may have stopped after the
     * broker acknowledged a batch and before the store forgot it (a pass found the in-flight note that an earlier pass
     * wrote before publishing and had not removed). The store forgets those events instead of publishing
     * them again ({@link PendingEvent#publishedPrefixes}), so each event is published once per event id.
     *
     * @throws RuntimeException when the topics cannot be read in time (the relay backs off and asks again)
     */
    default Set<UUID> alreadyPublished(Collection<PendingEvent> pending) {
        return Set.of();
    }
}
