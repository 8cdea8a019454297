package io.itsm.incident.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.itsm.incident.IncidentState;

/** The answer of {@code GET /api/incidents/{id}/transitions}. */
@Schema(name = "IncidentTransitions", description = "The incident's state and the states it may move to next")
public record AllowedTransitionsView(
        @Schema(example = "NEW") IncidentState current,
        @Schema(description = "Empty for a final state (CLOSED, CANCELED)") List<IncidentState> allowed) {
}
