package io.itsm.events.inbox;

import java.util.concurrent.Callable;

/** Runs work in a new transaction of the consumer's datastore, committing on return, rolling back on a throw. */
@FunctionalInterface
public interface TransactionRunner {

    <T> T inNewTransaction(Callable<T> work) throws Exception;

    /**
     * Called inside a batch's transaction after each event's effect: a store writes what it holds of it and lets go
     * of what that event loaded (an ORM session would otherwise check every entity of the batch at every flush).
     */
    default void betweenEvents() throws Exception {
    }
}
