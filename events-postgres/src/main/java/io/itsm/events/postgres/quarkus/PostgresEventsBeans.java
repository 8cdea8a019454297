package io.itsm.events.postgres.quarkus;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;

import io.agroal.api.AgroalDataSource;
import io.itsm.events.CloudEvent;
import io.itsm.events.inbox.InboxLedger;
import io.itsm.events.inbox.IdempotentConsumer;
import io.itsm.events.outbox.OutboxStore;
import io.itsm.events.postgres.ConnectionLoss;
import io.itsm.events.postgres.PostgresInboxLedger;
import io.itsm.events.postgres.PostgresOutboxStore;
import io.itsm.events.quarkus.EventsConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Gives a PostgreSQL service its outbox store (for the relay) and its idempotent consumer. */
@ApplicationScoped
public class PostgresEventsBeans {

    @Produces
    @ApplicationScoped
    OutboxStore outboxStore(AgroalDataSource dataSource) {
        return new PostgresOutboxStore(dataSource);
    }

    /**
     * Records the event in {@code inbox_event} and applies its effect in one new JTA transaction (a batch's events share
     * one). While PostgreSQL is unreachable an event waits for it, instead of going to the dead-letter topic.
     */
    @Produces
    @ApplicationScoped
    IdempotentConsumer idempotentConsumer(EntityManager entityManager, EventsConfig config) {
        EventsConfig.Consumer c = config.consumer();
        return new IdempotentConsumer(
                new io.itsm.events.inbox.TransactionRunner() {
                    @Override
                    public <T> T inNewTransaction(java.util.concurrent.Callable<T> work) {
                        return QuarkusTransaction.requiringNew().call(work);
                    }

                    /** Writes the last event's changes and empties the session, so a flush never checks the whole batch. */
                    @Override
                    public void betweenEvents() {
                        entityManager.flush();
                        entityManager.clear();
                    }
                },
                new InboxLedger() {
                    @Override
                    public boolean recordFirstDelivery(String topic, CloudEvent event) {
                        return entityManager.unwrap(Session.class)
                                .doReturningWork(connection -> PostgresInboxLedger.recordFirstDelivery(connection, topic, event));
                    }

                    @Override
                    public List<CloudEvent> recordFirstDeliveries(String topic, List<CloudEvent> events) {
                        return entityManager.unwrap(Session.class)
                                .doReturningWork(connection -> PostgresInboxLedger.recordFirstDeliveries(connection, topic, events));
                    }
                },
                new IdempotentConsumer.RetryPolicy(c.maxAttempts(), c.initialBackoff(), c.maxBackoff()),
                ConnectionLoss::causes);
    }
}
