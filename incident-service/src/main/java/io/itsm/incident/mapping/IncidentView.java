package io.itsm.incident.mapping;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.itsm.incident.IncidentState;
import io.itsm.incident.OnHoldReason;
import io.itsm.incident.ResolutionCode;

/** An incident as the API returns it and as its events carry it. */
@Schema(name = "Incident")
public record IncidentView(
        UUID id,
        @Schema(example = "INC0010001") String number,
        @Schema(example = "Email is down for the finance team") String shortDescription,
        String description,
        @Schema(example = "jane.doe") String caller,
        @Schema(example = "software") String category,
        @Schema(example = "email") String subcategory,
        @Schema(description = "1 high, 2 medium, 3 low", example = "2") int impact,
        @Schema(description = "1 high, 2 medium, 3 low", example = "1") int urgency,
        @Schema(description = "Derived from impact x urgency: 1 critical … 5 planning; read-only", example = "2") int priority,
        @Schema(description = "Changes only through POST /api/incidents/{id}/transitions (and assignment of a NEW incident)") IncidentState state,
        @Schema(description = "Why the incident is on hold; set only in state ON_HOLD") OnHoldReason onHoldReason,
        @Schema(example = "service-desk") String assignmentGroup,
        @Schema(example = "sam.agent") String assignee,
        @Schema(description = "How often the assignment group changed after the first assignment", example = "0") int reassignmentCount,
        @Schema(description = "How often the incident was reopened after being resolved", example = "0") int reopenCount,
        List<UUID> configurationItemIds,
        @Schema(description = "Handled as a major incident; only itsm-admin may cancel one") boolean majorIncident,
        @Schema(description = "The parent incident, when this one is its child") UUID parentIncidentId,
        @Schema(description = "How the incident was resolved; set from RESOLVED on, cleared on reopen") ResolutionCode resolutionCode,
        @Schema(description = "What was done to resolve the incident; cleared on reopen") String resolutionNotes,
        Instant openedAt,
        @Schema(description = "First response: the incident left NEW or was assigned to someone") Instant respondedAt,
        @Schema(description = "When the incident was last resolved; cleared on reopen") Instant resolvedAt,
        @Schema(description = "When the incident was closed or canceled") Instant closedAt,
        Instant updatedAt,
        long version,
        SlaView sla,
        @Schema(description = "Recently implemented changes on the incident's CIs that may have caused it, most likely first "
                + "(from change-service's itsm.change.incident-correlated)") List<ProbableCauseChange> probableCauseChanges) {
}
