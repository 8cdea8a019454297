package io.itsm.incident.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.itsm.incident.history.NoteVisibility;

/** The body of {@code POST /api/incidents/{id}/notes}. */
@Schema(name = "NewIncidentNote")
public record NoteRequest(
        @NotNull @Schema(description = "INTERNAL: a work note for agents; CUSTOMER: a comment the caller sees", example = "INTERNAL") NoteVisibility visibility,
        @NotBlank @Size(max = 32000) @Schema(example = "Mail gateway restarted; watching the queue") String text) {
}
