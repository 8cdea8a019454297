package io.itsm.cmdb.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.itsm.cmdb.domain.CiRevision;
import io.itsm.cmdb.domain.ConfigurationItem;
import io.itsm.cmdb.domain.Relationship;
import io.itsm.cmdb.domain.RelationshipEventData;
import io.itsm.cmdb.repository.CiHistoryRepository;
import io.itsm.cmdb.repository.CiRepository;
import io.itsm.cmdb.repository.RelationshipRepository;
import io.itsm.events.FieldChange;
import io.itsm.rest.ProblemException;

/** What changed in the CMDB between two instants: CIs created and changed, relationships created and deleted. */
@ApplicationScoped
public class TopologyDiff {

    /** At most this many entries of each kind; {@code truncated} says when there were more. */
    public static final int MAX_ENTRIES = 10_000;

    @Inject
    CiRepository cis;

    @Inject
    CiHistoryRepository history;

    @Inject
    RelationshipRepository relationships;

    @Inject
    HistoryProjector projector;

    @Schema(name = "CiChangeEntry", description = "A change of a CI between the two instants")
    public record CiChange(String ciId, String number, String eventType, Instant at, String actor, String source, List<FieldChange> changes) {
    }

    @Schema(name = "RelationshipChangeEntry", description = "A relationship created or deleted between the two instants")
    public record RelationshipChange(RelationshipEventData.View relationship, String change, Instant at, String actor,
                                     @Schema(description = "api, an import source (e.g. discovery) or system", example = "api") String source) {
    }

    @Schema(name = "TopologyDiff")
    public record Diff(Instant from, Instant to,
                       @Schema(description = "CIs created in (from, to], as they are now (a CI deleted since: as it was last)") List<ConfigurationItem> createdCis,
                       @Schema(description = "Changes of CIs in (from, to], oldest first (retirement and deletion included)") List<CiChange> changedCis,
                       @Schema(description = "Relationships created or deleted in (from, to], oldest first") List<RelationshipChange> relationships,
                       @Schema(description = "A list stopped at " + MAX_ENTRIES + " entries") boolean truncated) {
    }

    /** @throws ProblemException 400 when {@code to} is before {@code from} */
    public Diff between(Instant from, Instant to) {
        if (to.isBefore(from)) {
            throw ProblemException.invalid("to", "must not be before from");
        }
        projector.projectNow(); // this replica's latest revisions; other replicas' are projected within their interval
        List<ConfigurationItem> created = cis.createdBetween(from, to, MAX_ENTRIES + 1);
        List<CiChange> changed = new ArrayList<>();
        List<CiRevision> revisions = history.endedBetween(from, to, MAX_ENTRIES + 1);
        for (CiRevision r : revisions) {
            changed.add(new CiChange(r.ciId(), r.state().number(), r.eventType(), r.validTo(), r.actor(), r.source(), r.changes()));
        }
        List<RelationshipChange> edges = new ArrayList<>();
        List<Relationship> touched = relationships.changedBetween(from, to, MAX_ENTRIES + 1);
        for (Relationship r : touched) {
            if (r.createdAt().isAfter(from) && !r.createdAt().isAfter(to)) {
                edges.add(new RelationshipChange(RelationshipEventData.View.of(r), "created", r.createdAt(), r.createdBy(), r.createdSource()));
            }
            if (r.deletedAt() != null && r.deletedAt().isAfter(from) && !r.deletedAt().isAfter(to)) {
                edges.add(new RelationshipChange(RelationshipEventData.View.of(r), "deleted", r.deletedAt(), r.deletedBy(), r.deletedSource()));
            }
        }
        edges.sort((a, b) -> a.at().compareTo(b.at()));
        boolean truncated = created.size() > MAX_ENTRIES || revisions.size() > MAX_ENTRIES || touched.size() > MAX_ENTRIES;
        return new Diff(from, to, created.subList(0, Math.min(MAX_ENTRIES, created.size())),
                changed.subList(0, Math.min(MAX_ENTRIES, changed.size())), edges.subList(0, Math.min(MAX_ENTRIES, edges.size())), truncated);
    }
}
