package io.itsm.cmdb.repository;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.bson.Document;

import io.itsm.cmdb.reconcile.ReconcileReport;
import io.itsm.events.EventTypes;
import io.itsm.events.mongodb.MongoOutbox;
import io.itsm.events.mongodb.quarkus.DocumentOutbox;
import io.itsm.events.outbox.OutboxEntry;

/**
 * The {@code reconcile_run} collection: one document per import, written when it completes, carrying
 * {@code itsm.reconcile.completed} in its outbox when the import changed anything (a re-run that changes nothing
 * publishes nothing).
 */
@ApplicationScoped
public class ReconcileRuns {

    static final String COLLECTION = "reconcile_run";

    @Inject
    CmdbDatabase db;

    @Inject
    DocumentOutbox outbox;

    /** What a run's event carries under {@code reconcile}. */
    public record Run(String id, String source, String actor, Instant startedAt, Instant completedAt, ReconcileReport.Counts counts,
                      ReconcileReport.Counts relationshipCounts) {
    }

    /** The data of {@code itsm.reconcile.completed}. */
    public record RunEventData(Run reconcile, List<Object> changes) {
    }

    public void record(Run run, boolean publish) {
        Document d = new Document("_id", run.id()).append("source", run.source()).append("actor", run.actor())
                .append("startedAt", Date.from(run.startedAt())).append("completedAt", Date.from(run.completedAt()))
                .append("counts", counts(run.counts())).append("relationshipCounts", counts(run.relationshipCounts()));
        if (publish) {
            OutboxEntry completed = outbox.eventOfType(EventTypes.RECONCILE_COMPLETED, run.id(), new RunEventData(run, List.of()));
            MongoOutbox.addTo(d, List.of(completed));
        }
        if (publish) {
            outbox.write(COLLECTION, List.of(run.id()), () -> db.collection(COLLECTION).insertOne(d));
        } else {
            db.collection(COLLECTION).insertOne(d);
        }
    }

    private static Document counts(ReconcileReport.Counts c) {
        return new Document("created", c.created()).append("updated", c.updated()).append("unchanged", c.unchanged())
                .append("ambiguous", c.ambiguous()).append("invalid", c.invalid());
    }
}
