package io.itsm.change.rest;

import java.time.Instant;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.itsm.change.ChangeType;

/** The body of {@code POST /api/changes}. */
@Schema(name = "RaiseChange", description = "A new change request")
public record RaiseChangeRequest(
        @NotNull @Schema(example = "NORMAL") ChangeType type,
        @NotBlank @Size(max = 160) @Schema(example = "Patch the mail cluster to 15.2", maxLength = 160) String shortDescription,
        @Size(max = 32000) String description,
        @Size(max = 255) @Schema(example = "john.smith") String requestedBy,
        @Schema(example = "2026-12-01T22:00:00Z") Instant plannedStart,
        @Schema(example = "2026-12-01T23:30:00Z") Instant plannedEnd) {
}
