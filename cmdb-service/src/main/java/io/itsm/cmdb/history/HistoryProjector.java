package io.itsm.cmdb.history;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.mongodb.MongoException;

import io.itsm.cmdb.repository.CiHistoryRepository;
import io.quarkus.scheduler.Scheduled;

/**
 * Moves the revisions that changes left in CI documents into {@code ci_history} in the background. Reads do not wait
 * for it (they merge pending revisions); it keeps the documents small.
 */
@ApplicationScoped
public class HistoryProjector {

    private static final Logger LOG = Logger.getLogger(HistoryProjector.class);

    @Inject
    CiHistoryRepository history;

    @Scheduled(every = "${itsm.cmdb.history.projection-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void project() {
        try {
            int moved;
            do {
                moved = history.project(500);
            } while (moved > 0);
        } catch (MongoException e) {
            LOG.debugf("history projection deferred (MongoDB unavailable?): %s", e.getMessage());
        }
    }
}
