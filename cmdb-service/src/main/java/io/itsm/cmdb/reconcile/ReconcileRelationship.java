package io.itsm.cmdb.reconcile;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A relationship between two CIs of an import: each end is an item's {@code ref}, a CI id or a CI number. */
@Schema(name = "ReconcileRelationship", description = "A discovered relationship: source TYPE target")
public record ReconcileRelationship(
        @Schema(description = "An item's ref, a CI id or a CI number", example = "app-3") String source,
        @Schema(description = "A type or an inverse name", example = "RUNS_ON") String type,
        @Schema(description = "An item's ref, a CI id or a CI number", example = "host-17") String target) {
}
