package io.itsm.incident.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.itsm.incident.IncidentState;
import io.itsm.incident.OnHoldReason;
import io.itsm.incident.ResolutionCode;
import io.itsm.incident.TransitionDetails;

/** The body of {@code POST /api/incidents/{id}/transitions}. */
@Schema(name = "IncidentTransition", description = "Move an incident to another state")
public record TransitionRequest(
        @NotNull @Schema(description = "The target state", example = "RESOLVED") IncidentState to,
        @Schema(description = "Required when to is ON_HOLD") OnHoldReason onHoldReason,
        @Schema(description = "Required when to is RESOLVED") ResolutionCode resolutionCode,
        @Size(max = 32000) @Schema(description = "Required (non-blank) when to is RESOLVED", example = "Restarted the mail gateway")
        String resolutionNotes,
        @Schema(description = "When to is RESOLVED: also resolve this incident's open children with the same resolution", defaultValue = "false")
        Boolean resolveChildren) {

    public TransitionDetails details() {
        return new TransitionDetails(onHoldReason, resolutionCode, resolutionNotes);
    }
}
