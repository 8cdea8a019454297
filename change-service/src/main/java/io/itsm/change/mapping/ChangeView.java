package io.itsm.change.mapping;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.itsm.change.ChangeState;
import io.itsm.change.ChangeType;
import io.itsm.change.CloseCode;
import io.itsm.change.Conflict;
import io.itsm.change.RiskLevel;
import io.itsm.change.risk.RiskFactor;

/** A change request as the API returns it and as its events carry it. */
@Schema(name = "Change")
public record ChangeView(
        UUID id,
        @Schema(example = "CHG0010001") String number,
        ChangeType type,
        @Schema(description = "The standard-change template a STANDARD change came from") UUID templateId,
        @Schema(example = "Patch the mail cluster to 15.2") String shortDescription,
        String description,
        String justification,
        String implementationPlan,
        String backoutPlan,
        String testPlan,
        List<UUID> configurationItemIds,
        Instant plannedStart,
        Instant plannedEnd,
        Instant actualStart,
        Instant actualEnd,
        ChangeState state,
        @Schema(description = "Computed from riskFactors; decides the approvals a NORMAL change needs") RiskLevel risk,
        @Schema(description = "0 … 100, the sum of the factors' weights") Integer riskScore,
        List<RiskFactor> riskFactors,
        @Schema(description = "The approval policy's state in the current round") ApprovalsView approvalStatus,
        @Schema(description = "Every decision of every round (an audit trail)") List<ApprovalView> approvals,
        @Schema(description = "Why the last approval round rejected the change") String rejectionReason,
        @Schema(description = "Scheduling conflicts of the planned window, as last evaluated") List<Conflict> conflicts,
        @Schema(description = "The change manager's justification for scheduling despite conflicts") String conflictOverride,
        CloseCode closeCode,
        String closeNotes,
        String reviewNotes,
        @Schema(example = "jane.doe") String requestedBy,
        String assignmentGroup,
        String assignee,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    /** The approvals the policy requires in the current round, and what is still missing. */
    @Schema(name = "ApprovalStatus")
    public record ApprovalsView(int round, List<String> required, boolean satisfied, List<String> missing) {
    }

    /** One approver's decision. */
    @Schema(name = "Approval")
    public record ApprovalView(UUID id, int round, String approver, String role, String decision, String comment, Instant decidedAt) {
    }
}
