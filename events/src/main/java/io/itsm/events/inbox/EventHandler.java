package io.itsm.events.inbox;

import java.util.List;

import io.itsm.events.CloudEvent;
import io.itsm.events.trace.Causation;

/** The effect of one event on the consumer's own state; runs inside the transaction of the inbox record. */
@FunctionalInterface
public interface EventHandler {

    /**
     * Applies the event. Throw {@link io.itsm.events.MalformedEventException} for an event that can never be
     * applied (it goes to the dead-letter topic at once); any other exception is retried first.
     */
    void handle(CloudEvent event) throws Exception;

    /**
     * Applies several events, in delivery order, inside one transaction (see
     * {@link IdempotentConsumer#consumeAll}). By default one by one, each while its own trace is current; a handler
     * overrides it when part of the work is better done once for the whole batch (the result must be the same as
     * applying the events one by one). A throw rolls the whole batch back, and the events are then applied one by one.
     */
    default void handleAll(List<CloudEvent> events) throws Exception {
        for (CloudEvent event : events) {
            Causation.whileConsuming(event.extensions(), () -> {
                handle(event);
                return null;
            });
        }
    }
}
