package io.itsm.change.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.itsm.change.config.ChangeConfig;
import io.itsm.rest.postgres.PostgresIdempotencyStore;
import io.quarkus.scheduler.Scheduled;

/** Forgets Idempotency-Keys older than {@code itsm.change.idempotency-key-retention}, so the table stays small. */
@ApplicationScoped
public class ChangeHousekeeping {

    @Inject
    PostgresIdempotencyStore idempotencyKeys;

    @Inject
    ChangeConfig config;

    @Scheduled(every = "${itsm.change.housekeeping-interval:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeIdempotencyKeys() {
        idempotencyKeys.purgeOlderThan(config.idempotencyKeyRetention());
    }
}
