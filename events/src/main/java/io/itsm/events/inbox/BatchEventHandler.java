package io.itsm.events.inbox;

import java.util.List;

import io.itsm.events.CloudEvent;

/**
 * A handler that does part of its work once for a whole batch (see {@link IdempotentConsumer#consumeAll}), such as
 * following what several events changed with one query instead of one per event. The result must be the same as
 * applying the events one by one; a throw rolls the whole batch back, and its events are then applied one by one
 * through {@link #handle}.
 */
public interface BatchEventHandler extends EventHandler {

    /** Applies several events, in delivery order, inside one transaction. */
    void handleAll(List<CloudEvent> events) throws Exception;

    /** How a batch is applied at once: {@link #handleAll}'s signature as a lambda's. */
    @FunctionalInterface
    interface AllAtOnce {
        void handleAll(List<CloudEvent> events) throws Exception;
    }

    /** The handler that applies one event with {@code each} and a batch with {@code all}. */
    static BatchEventHandler of(EventHandler each, AllAtOnce all) {
        return new BatchEventHandler() {
            @Override
            public void handle(CloudEvent event) throws Exception {
                each.handle(event);
            }

            @Override
            public void handleAll(List<CloudEvent> events) throws Exception {
                all.handleAll(events);
            }
        };
    }
}
