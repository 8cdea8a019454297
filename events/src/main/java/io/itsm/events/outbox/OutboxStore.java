package io.itsm.events.outbox;

/**
 * Where a service's outbox lives (a PostgreSQL table, pending events inside MongoDB documents). The relay
 * only asks it for one thing: hand over the oldest pending entries and forget those that were delivered.
 */
public interface OutboxStore {

    /**
     * Gives about {@code maxEntries} pending entries, in publish order (per aggregate: the order they were
     * written), to the publisher and removes the ones it reports delivered. A store may give a few times more to keep
     * its units whole (the MongoDB store: whole bulk batches beside a batch of events from documents).
     *
     * @return how many entries were delivered; 0 when nothing is pending or another relay holds the outbox
     * @throws Exception when the store cannot be read or written; the relay backs off and tries again
     */
    int relay(int maxEntries, OutboxPublisher publisher) throws Exception;

    /** How many entries are waiting; for health and metrics, may be approximate. */
    long pending() throws Exception;
}
