package io.itsm.events.inbox;

import java.util.concurrent.Callable;

/** Runs work in a new transaction of the consumer's datastore, committing on return, rolling back on a throw. */
@FunctionalInterface
public interface TransactionRunner {

    <T> T inNewTransaction(Callable<T> work) throws Exception;
}
