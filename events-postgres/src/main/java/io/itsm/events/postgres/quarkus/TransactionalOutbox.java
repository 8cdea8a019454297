package io.itsm.events.postgres.quarkus;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.hibernate.Session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.itsm.events.Aggregate;
import io.itsm.events.outbox.OutboxEntry;
import io.itsm.events.postgres.CompanionRow;
import io.itsm.events.postgres.NewAggregateRow;
import io.itsm.events.postgres.PostgresOutboxWriter;
import io.itsm.events.quarkus.OutboxRelayService;
import io.itsm.events.quarkus.TraceContext;

/**
 * What a PostgreSQL service calls to publish an event: the event is written to {@code outbox_event} in the
 * caller's transaction, so it exists exactly when the state change it describes was committed.
 */
@ApplicationScoped
public class TransactionalOutbox {

    private static final Object WAKE_KEY = new Object();

    @Inject
    TraceContext trace;

    @Inject
    EntityManager entityManager;

    @Inject
    ObjectMapper objectMapper;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    OutboxRelayService relay;

    /**
     * Writes an event of the aggregate, e.g. {@code publish(INCIDENT, id, "created", data)}.
     *
     * @param data the event data: the aggregate's full new state and what changed, serialised to JSON
     * @throws IllegalStateException outside a transaction, where the event could outlive or miss its change
     */
    public OutboxEntry publish(Aggregate aggregate, String aggregateId, String action, Object data) {
        OutboxEntry entry = entry(aggregate, aggregateId, action, data, false);
        entityManager.unwrap(Session.class).doWork(connection -> PostgresOutboxWriter.append(connection, entry));
        wakeRelayAfterCommit();
        return entry;
    }

    /**
     * Writes an event of the aggregate as {@link #publish(Aggregate, String, String, Object)} does, and the
     * {@code companions} (e.g. the change's history entry) in the same statement: one round trip for all.
     */
    public OutboxEntry publish(Aggregate aggregate, String aggregateId, String action, Object data, List<CompanionRow> companions) {
        OutboxEntry entry = entry(aggregate, aggregateId, action, data, false);
        entityManager.unwrap(Session.class).doWork(connection -> PostgresOutboxWriter.append(connection, entry, companions));
        wakeRelayAfterCommit();
        return entry;
    }

    /**
     * Inserts a new aggregate's row, its {@code companions} and its created event in one statement, the way
     * {@link PostgresOutboxWriter#appendCreated} does: {@code data} carries {@code created.placeholder()} where the
     * generated value belongs, and the statement writes the value in its place.
     *
     * <p>Inside a transaction the statement is part of it. Outside one it is a transaction of its own (autocommit),
     * which saves the commit's round trip: call it so only when these rows are all the command writes.
     *
     * @return the value the database generated for the row (e.g. the new incident's number)
     */
    public String publishCreated(Aggregate aggregate, String aggregateId, String action, Object data, NewAggregateRow created,
                                 List<CompanionRow> companions) {
        OutboxEntry entry = entry(aggregate, aggregateId, action, data, true);
        boolean alone = transactions.getTransactionStatus() == Status.STATUS_NO_TRANSACTION;
        String generated = entityManager.unwrap(Session.class).doReturningWork(connection -> {
            if (alone && !connection.getAutoCommit()) {
                throw new IllegalStateException("outside a transaction the connection must commit each statement");
            }
            return PostgresOutboxWriter.appendCreated(connection, entry, created, companions);
        });
        if (alone) {
            relay.wakeUp(); // committed already
        } else {
            wakeRelayAfterCommit();
        }
        return generated;
    }

    private OutboxEntry entry(Aggregate aggregate, String aggregateId, String action, Object data, boolean statementAlone) {
        int status = transactions.getTransactionStatus();
        if (status != Status.STATUS_ACTIVE && !(statementAlone && status == Status.STATUS_NO_TRANSACTION)) {
            throw new IllegalStateException("an outbox event must be written inside the transaction of its state change");
        }
        byte[] payload;
        try {
            payload = objectMapper.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data is not serialisable: " + e.getMessage(), e);
        }
        return OutboxEntry.of(aggregate, aggregateId, action, payload, Instant.now(), trace.traceparent(), trace.requestId());
    }

    private void wakeRelayAfterCommit() {
        if (transactions.getResource(WAKE_KEY) == null) {
            transactions.putResource(WAKE_KEY, Boolean.TRUE);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        relay.wakeUp();
                    }
                }
            });
        }
    }
}
