package io.itsm.cmdb.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.mongodb.MongoException;

import io.itsm.cmdb.repository.CiHistoryRepository;
import io.quarkus.scheduler.Scheduled;

/**
 * Moves the revisions that changes left in CI documents into {@code ci_history} in the background. Reads do not wait
 * for it (they merge pending revisions); it keeps the documents small. The CIs this replica changed are projected by
 * id at the next tick (found by index on either store); once a minute a sweep searches every CI for pending revisions
 * (other replicas' changes, a crash), which on the MongoDB-wire store reads every CI.
 */
@ApplicationScoped
public class HistoryProjector {

    private static final Logger LOG = Logger.getLogger(HistoryProjector.class);
    private static final long SWEEP_NANOS = 60_000_000_000L;
    private static final int SWEEP_DOCUMENTS = 5_000;

    @Inject
    CiHistoryRepository history;

    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    private volatile boolean sweepDue = true;
    private volatile long lastSweep = System.nanoTime();

    /** This replica changed the CI: project it at the next tick. */
    public void wake(String ciId) {
        changed.add(ciId);
    }

    @Scheduled(every = "${itsm.cmdb.history.projection-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void project() {
        if (System.nanoTime() - lastSweep >= SWEEP_NANOS) {
            sweepDue = true;
        }
        projectNow();
    }

    /** Projects what this replica changed, now (e.g. before the topology diff reads {@code ci_history}), and the sweep when due. */
    public synchronized void projectNow() {
        List<String> ids = new ArrayList<>(changed);
        try {
            if (!ids.isEmpty()) {
                changed.removeAll(ids);
                history.projectDocuments(ids);
            }
            if (sweepDue) {
                // one search per tick at most: while writes go on, a search repeated until it finds nothing would never end
                lastSweep = System.nanoTime();
                sweepDue = history.project(SWEEP_DOCUMENTS) == SWEEP_DOCUMENTS;
            }
        } catch (MongoException e) {
            changed.addAll(ids);
            LOG.debugf("history projection deferred (MongoDB unavailable?): %s", e.getMessage());
        }
    }
}
