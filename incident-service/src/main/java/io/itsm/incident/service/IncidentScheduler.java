package io.itsm.incident.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.itsm.incident.config.IncidentConfig;
import io.itsm.rest.postgres.PostgresIdempotencyStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * The incident practice's timed work, every {@code itsm.incident.scheduler-interval}: SLA warnings and breaches
 * that fell due, auto-closing of resolved incidents, forgetting old idempotency keys. Each pass works in small
 * transactions with {@code skip locked}, so replicas share the work and a restart resumes where it stopped:
 * what was published is remembered in the incident itself.
 */
@ApplicationScoped
public class IncidentScheduler {

    private static final Logger LOG = Logger.getLogger(IncidentScheduler.class);

    @Inject
    IncidentService incidents;

    @Inject
    IncidentConfig config;

    @Inject
    PostgresIdempotencyStore idempotencyKeys;

    /** Set when the service stops: a pass that its shutdown cuts short (the persistence unit closes) is no failure. */
    private volatile boolean stopping;

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @Scheduled(every = "${itsm.incident.scheduler-interval}", delayed = "${itsm.incident.scheduler-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            if (stopping) {
                LOG.debugf("incident scheduler pass ended by the shutdown: %s", e.toString());
                return;
            }
            LOG.warnf("incident scheduler pass failed, next pass retries: %s", e.toString());
        }
    }

    /** One pass; returns the number of incidents it touched. */
    public int runOnce() {
        int batch = config.sla().batchSize();
        int touched = 0;
        int n;
        do {
            n = incidents.publishDueSlaEvents(batch);
            touched += n;
        } while (n == batch);
        do {
            n = incidents.closeResolvedBefore(config.autoCloseAfter(), batch);
            touched += n;
        } while (n == batch);
        purgeIdempotencyKeys();
        return touched;
    }

    @Transactional
    void purgeIdempotencyKeys() {
        idempotencyKeys.purgeOlderThan(config.idempotencyKeyRetention());
    }
}
