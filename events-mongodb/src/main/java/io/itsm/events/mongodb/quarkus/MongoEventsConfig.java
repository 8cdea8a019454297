package io.itsm.events.mongodb.quarkus;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the MongoDB outbox and inbox, under {@code itsm.events.mongodb}. */
@ConfigMapping(prefix = "itsm.events.mongodb")
public interface MongoEventsConfig {

    /**
     * The collections (of {@code quarkus.mongodb.database}) whose documents carry an {@code outbox} array.
     * A service that publishes events must list them; without any, the relay publishes nothing and
     * {@link DocumentOutbox} refuses to write events.
     */
    Optional<List<String>> outboxCollections();

    /** How long the relay lease lasts without renewal; longer than a relay pass (its delivery timeout). */
    @WithDefault("30s")
    Duration leaseTtl();

    /** After how long an inbox claim whose effect never completed (crash) may be taken over. */
    @WithDefault("5m")
    Duration inboxClaimTimeout();
}
