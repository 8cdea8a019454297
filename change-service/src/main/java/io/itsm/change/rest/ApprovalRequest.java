package io.itsm.change.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.itsm.change.ApprovalDecision;

/** The body of {@code POST /api/changes/{id}/approvals}. */
@Schema(name = "ApprovalDecisionInput", description = "An approver's decision on a change in AUTHORIZE")
public record ApprovalRequest(
        @NotNull @Schema(example = "APPROVED") ApprovalDecision decision,
        @Size(max = 32000) @Schema(description = "Why; a rejection's comment becomes the change's rejectionReason", example = "Backout plan is sound")
        String comment) {
}
