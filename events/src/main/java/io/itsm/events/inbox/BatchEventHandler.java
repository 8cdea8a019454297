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
}
