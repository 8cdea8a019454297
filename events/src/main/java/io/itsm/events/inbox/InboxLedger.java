package io.itsm.events.inbox;

import java.util.ArrayList;
import java.util.List;

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

    /**
     * Records several events as processed, in one transaction.
     *
     * @return those seen for the first time, in the given order (an event twice in the list counts once)
     */
    default List<CloudEvent> recordFirstDeliveries(String topic, List<CloudEvent> events) throws Exception {
        List<CloudEvent> first = new ArrayList<>(events.size());
        for (CloudEvent event : events) {
            if (recordFirstDelivery(topic, event)) {
                first.add(event);
            }
        }
        return first;
    }
}
