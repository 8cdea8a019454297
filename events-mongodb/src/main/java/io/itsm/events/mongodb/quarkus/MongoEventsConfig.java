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

    /**
     * Whether writers hint the documents they add events to (through {@link DocumentOutbox}), so that a relay pass reads
     * only those instead of searching every outbox collection, which the MongoDB-wire store (no secondary indexes) does
     * by scanning them. Every event writer of the service must then go through {@link DocumentOutbox#write(String,
     * java.util.Collection, java.util.function.Supplier)} or {@link DocumentOutbox#hint}.
     */
    @WithDefault("false")
    boolean pendingHints();

    /** With pending hints: how often a pass still searches every outbox collection (documents written without a hint). */
    @WithDefault("5m")
    Duration sweepInterval();

    /**
     * After how long the relay resolves a bulk-insert batch ({@link DocumentOutbox#insertAll}) still marked writing, i.e.
     * abandoned by a writer that failed or stopped: events of the documents that exist are published, the rest dropped.
     * Must be far longer than one bulk insert of 500 documents takes.
     */
    @WithDefault("5m")
    Duration bulkRecoverAfter();
}
