package io.itsm.events.inbox;

import io.itsm.events.CloudEvent;

/**
 * The consumer's record of the events it has processed, kept in its own datastore and written in the same
 * transaction (or document write) as the event's effect.
 */
@FunctionalInterface
public interface InboxLedger {

    /**
     * Records the event as processed.
     *
     * @return true the first time this event ({@code source} + {@code id}) is seen, false for a redelivery
     */
    boolean recordFirstDelivery(String topic, CloudEvent event) throws Exception;
}
