package io.itsm.events.outbox;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Publishes a batch of outbox entries and says which of them the broker acknowledged. */
public interface OutboxPublisher {

    /**
     * Publishes the entries in the given order.
     *
     * @return the ids of the entries that are durably published. An entry whose aggregate had an earlier
     *         entry fail in the same batch is never reported delivered, so no aggregate's events can
     *         overtake each other across a retry.
     */
    Set<UUID> publish(List<OutboxEntry> entries);
}
