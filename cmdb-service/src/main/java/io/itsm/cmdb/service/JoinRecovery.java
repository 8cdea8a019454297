package io.itsm.cmdb.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.mongodb.MongoException;

import io.itsm.cmdb.config.CmdbConfig;
import io.itsm.cmdb.repository.PendingJoins;
import io.quarkus.scheduler.Scheduled;

/**
 * Finishes relationships whose maker stopped between their insert and their join to the ends (a crash, a kill, the store
 * gone mid-import): without it such an edge could outlive the retirement, deletion or reclassification of an end, which
 * the join exists to prevent. Each edge of a stale {@link PendingJoins} note is joined if its ends still allow it, else
 * withdrawn with its event; replicas may do this side by side.
 */
@ApplicationScoped
public class JoinRecovery {

    private static final Logger LOG = Logger.getLogger(JoinRecovery.class);
    private static final int NOTES_PER_PASS = 100;

    @Inject
    PendingJoins pendingJoins;

    @Inject
    RelationshipService relationships;

    @Inject
    CmdbConfig config;

    @Scheduled(every = "${itsm.cmdb.relationships.join-recovery-interval:1m}", delayed = "${itsm.cmdb.relationships.join-recovery-interval:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void recover() {
        try {
            recoverNotesOlderThan(Instant.now().minus(config.relationships().joinRecoveryAfter()));
        } catch (MongoException e) {
            LOG.debugf("relationship join recovery deferred (MongoDB unavailable?): %s", e.getMessage());
        }
    }

    /** Finishes the edges of every note written before {@code before}; returns how many edges were kept and withdrawn. */
    public Recovered recoverNotesOlderThan(Instant before) {
        int kept = 0;
        int withdrawn = 0;
        for (PendingJoins.Note note : pendingJoins.olderThan(before, NOTES_PER_PASS)) {
            if (!pendingJoins.takeOver(note)) {
                continue; // finished or taken over meanwhile
            }
            int keptHere = 0;
            int withdrawnHere = 0;
            for (String edgeId : note.edgeIds()) {
                Boolean stays = relationships.finishJoin(edgeId).orElse(null);
                if (Boolean.TRUE.equals(stays)) {
                    keptHere++;
                } else if (Boolean.FALSE.equals(stays)) {
                    withdrawnHere++;
                }
            }
            pendingJoins.done(List.of(note.id()));
            LOG.warnf("finished the relationships of a write that stopped before joining them (noted at %s): %d of %d joined, %d "
                    + "withdrawn (an end retired, deleted or reclassified meanwhile)", note.at(), keptHere, note.edgeIds().size(), withdrawnHere);
            kept += keptHere;
            withdrawn += withdrawnHere;
        }
        return new Recovered(kept, withdrawn);
    }

    /** What a pass did: edges joined and kept, edges withdrawn. */
    public record Recovered(int kept, int withdrawn) {
    }
}
