package io.itsm.incident.mapping;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.itsm.incident.IncidentState;

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
        IncidentState state,
        List<UUID> configurationItemIds,
        Instant openedAt,
        Instant updatedAt,
        long version) {
}
