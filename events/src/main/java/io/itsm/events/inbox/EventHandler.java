package io.itsm.events.inbox;

import io.itsm.events.CloudEvent;

/** The effect of one event on the consumer's own state; runs inside the transaction of the inbox record. */
@FunctionalInterface
public interface EventHandler {

    /**
     * Applies the event. Throw {@link io.itsm.events.MalformedEventException} for an event that can never be
     * applied (it goes to the dead-letter topic at once); any other exception is retried first.
     */
    void handle(CloudEvent event) throws Exception;
}
