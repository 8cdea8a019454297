package io.itsm.events.quarkus;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the outbox relay and the idempotent consumer, under {@code itsm.events}. */
@ConfigMapping(prefix = "itsm.events")
public interface EventsConfig {

    Relay relay();

    Consumer consumer();

    /**
     * How long the Kafka check of {@code /q/health} ({@link KafkaBrokerHealthCheck}, a wellness check: never part of
     * readiness) waits for the cluster to answer before it reports it DOWN; under the gateway's 3 s for a service's
     * whole {@code /q/health}, so that the gateway shows which check is down rather than a timeout.
     */
    @WithDefault("2s")
    Duration kafkaHealthTimeout();

    /** The outbox relay. */
    interface Relay {
        /** Whether this instance relays its outbox to Kafka. */
        @WithDefault("true")
        boolean enabled();

        /** Most events published in one pass. */
        @WithDefault("500")
        int batchSize();

        /** How often the outbox is polled when no commit woke the relay (other replicas' writes). */
        @WithDefault("500ms")
        Duration pollInterval();

        /** First wait after a failed pass; doubles up to {@link #maxBackoff()}. */
        @WithDefault("100ms")
        Duration initialBackoff();

        @WithDefault("5s")
        Duration maxBackoff();

        /** How long Kafka may take to acknowledge a batch before the pass fails and is retried. */
        @WithDefault("15s")
        Duration deliveryTimeout();
    }

    /** The idempotent consumer. */
    interface Consumer {
        /**
         * Attempts for an event whose effect fails with a transient error before it is dead-lettered. An unreachable
         * datastore is not counted: the event waits for it without limit (see {@code IdempotentConsumer}).
         */
        @WithDefault("5")
        int maxAttempts();

        @WithDefault("200ms")
        Duration initialBackoff();

        @WithDefault("5s")
        Duration maxBackoff();
    }
}
