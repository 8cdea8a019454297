package io.itsm.cmdb.history;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.mongodb.MongoException;

import io.itsm.cmdb.repository.CiHistoryRepository;
import io.quarkus.scheduler.Scheduled;

/**
 * Moves the revisions that changes left in CI documents into {@code ci_history} in the background. Reads do not wait
 * for it (they merge pending revisions); it keeps the documents small. It looks when this replica changed a CI, and
 * once a minute in any case (other replicas' changes, a crash); the search for pending revisions scans the CIs on the
 * MongoDB-wire store, so it does not run when there is nothing to find.
 */
@ApplicationScoped
public class HistoryProjector {

    private static final Logger LOG = Logger.getLogger(HistoryProjector.class);
    private static final long SWEEP_NANOS = 60_000_000_000L;

    @Inject
    CiHistoryRepository history;

    private final AtomicBoolean changed = new AtomicBoolean(true);
    private volatile long lastSweep = System.nanoTime();

    /** A CI changed on this replica: project at the next tick. */
    public void wake() {
        changed.set(true);
    }

    @Scheduled(every = "${itsm.cmdb.history.projection-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void project() {
        if (System.nanoTime() - lastSweep >= SWEEP_NANOS) {
            changed.set(true); // the minute's sweep: other replicas' revisions, and any left by a crash
        }
        if (changed.get()) {
            lastSweep = System.nanoTime();
            projectNow();
        }
    }

    /** Projects what this replica changed, now (e.g. before the topology diff reads {@code ci_history}). */
    public synchronized void projectNow() {
        if (!changed.getAndSet(false)) {
            return;
        }
        try {
            int moved;
            do {
                moved = history.project(500);
            } while (moved > 0);
        } catch (MongoException e) {
            changed.set(true);
            LOG.debugf("history projection deferred (MongoDB unavailable?): %s", e.getMessage());
        }
    }
}
