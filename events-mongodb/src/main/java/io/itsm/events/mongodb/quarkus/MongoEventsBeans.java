package io.itsm.events.mongodb.quarkus;

import java.time.Clock;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.mongodb.client.MongoClient;

import io.itsm.events.inbox.IdempotentConsumer;
import io.itsm.events.mongodb.MongoInboxLedger;
import io.itsm.events.mongodb.MongoOutboxStore;
import io.itsm.events.quarkus.EventsConfig;

/**
 * Gives a MongoDB service its outbox store (which {@link io.itsm.events.quarkus.OutboxRelayService} relays)
 * over the collections of {@code itsm.events.mongodb.outbox-collections} in {@code quarkus.mongodb.database},
 * and an idempotent consumer for effects that span several documents.
 */
@ApplicationScoped
public class MongoEventsBeans {

    private static final Logger LOG = Logger.getLogger(MongoEventsBeans.class);

    @Produces
    @ApplicationScoped
    MongoOutboxStore outboxStore(MongoClient client, MongoEventsConfig config, EventsConfig events,
                                 @ConfigProperty(name = "quarkus.mongodb.database") String database) {
        if (config.leaseTtl().compareTo(events.relay().deliveryTimeout()) <= 0) {
            LOG.warnf("itsm.events.mongodb.lease-ttl (%s) should exceed itsm.events.relay.delivery-timeout (%s): "
                    + "otherwise another replica may take the relay over mid-pass and publish duplicates",
                    config.leaseTtl(), events.relay().deliveryTimeout());
        }
        return new MongoOutboxStore(client.getDatabase(database), config.outboxCollections().orElse(List.of()),
                config.leaseTtl(), Clock.systemUTC(), config.pendingHints() ? config.sweepInterval() : null,
                config.bulkRecoverAfter());
    }

    /** Hands the relay lease over at shutdown, so another replica relays without waiting for it to expire. */
    void release(@Disposes MongoOutboxStore store) {
        store.close();
    }

    @Produces
    @ApplicationScoped
    MongoInboxLedger inboxLedger(MongoClient client, MongoEventsConfig config,
                                 @ConfigProperty(name = "quarkus.mongodb.database") String database) {
        return new MongoInboxLedger(client.getDatabase(database), config.inboxClaimTimeout(), Clock.systemUTC());
    }

    /**
     * The consumer for multi-document effects (see {@link MongoInboxLedger}); single-document effects use
     * {@link MongoInboxLedger#applyOnce} directly.
     */
    @Produces
    @ApplicationScoped
    IdempotentConsumer idempotentConsumer(MongoInboxLedger ledger, EventsConfig config) {
        EventsConfig.Consumer c = config.consumer();
        return ledger.consumer(new IdempotentConsumer.RetryPolicy(c.maxAttempts(), c.initialBackoff(), c.maxBackoff()));
    }
}
