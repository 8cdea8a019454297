package io.itsm.cmdb.reconcile;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /api/cmdb/reconcile}: one import batch. */
@Schema(name = "ReconcileRequest")
public record ReconcileRequest(
        @NotBlank @Pattern(regexp = "[a-z][a-z0-9_-]{0,63}", message = "must be lower-case letters, digits, _ or -, starting with a letter")
        @Schema(description = "Where the data comes from; attribute authority rules name it", example = "discovery") String source,
        @Size(max = Reconciler.MAX_BATCH) @Schema(description = "At most 10,000; bigger imports use the NDJSON form") List<ReconcileItem> items,
        @Size(max = Reconciler.MAX_BATCH_RELATIONSHIPS) @Schema(description = "At most 50,000") List<ReconcileRelationship> relationships) {
}
