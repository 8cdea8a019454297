package io.itsm.cmdb.reconcile;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to an import: how many items and relationships had each outcome, and each one with its reasons. */
@Schema(name = "ReconcileReport")
public record ReconcileReport(
        @Schema(description = "The run's id; itsm.reconcile.completed carries it when the run changed something") String id,
        String source,
        Instant startedAt,
        Instant completedAt,
        Counts counts,
        @Schema(description = "The same for the relationships (ambiguous is always 0)") Counts relationshipCounts,
        @Schema(description = "Every item in request order (NDJSON imports: only the ambiguous and invalid ones, at most 10,000)")
        List<ItemResult> items,
        @Schema(description = "Every relationship in request order (NDJSON imports: only the invalid ones)") List<RelationshipResult> relationships) {

    @Schema(name = "ReconcileCounts")
    public record Counts(long created, long updated, long unchanged, long ambiguous, long invalid) {
        public boolean changedSomething() {
            return created + updated > 0;
        }
    }

    @Schema(name = "ReconcileItemResult")
    public record ItemResult(
            @Schema(description = "Position in the request (NDJSON: line number, from 1)") int index,
            String ref,
            ReconcileOutcome outcome,
            String ciId,
            String number,
            @Schema(description = "The identifier rule that matched, e.g. [serialNumber]") List<String> matchedBy,
            @Schema(description = "Why: what was invalid, which CIs were ambiguous, which fields authority kept") List<String> reasons) {
    }

    @Schema(name = "ReconcileRelationshipResult")
    public record RelationshipResult(int index, ReconcileOutcome outcome, String relationshipId, List<String> reasons) {
    }
}
