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
        @Schema(description = "1 high, 2 medium, 3 low", example = "2") int impact,
        @Schema(description = "1 high, 2 medium, 3 low", example = "1") int urgency,
        @Schema(description = "Derived from impact x urgency: 1 critical … 5 planning; read-only", example = "2") int priority,
        @Schema(description = "Changes only through POST /api/incidents/{id}/transitions") IncidentState state,
        @Schema(description = "Why the incident is on hold; set only in state ON_HOLD") OnHoldReason onHoldReason,
        @Schema(description = "How the incident was resolved; set from RESOLVED on, cleared on reopen") ResolutionCode resolutionCode,
        @Schema(description = "What was done to resolve the incident; cleared on reopen") String resolutionNotes,
        @Schema(description = "How often the incident was reopened after being resolved", example = "0") int reopenCount,
        List<UUID> configurationItemIds,
        Instant openedAt,
        @Schema(description = "When the incident was last resolved; cleared on reopen") Instant resolvedAt,
        @Schema(description = "When the incident was closed or canceled") Instant closedAt,
        Instant updatedAt,
        long version) {
}
