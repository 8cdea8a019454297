package io.itsm.incident.rest;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /api/incidents}. Priority is not accepted: it follows from impact and urgency. */
@Schema(name = "OpenIncident", description = "A new incident")
public record OpenIncidentRequest(
        @NotBlank @Size(max = 160) @Schema(example = "Email is down for the finance team", maxLength = 160)
        String shortDescription,
        @Size(max = 32000) @Schema(example = "Outlook shows 'disconnected' since 09:10 for everyone on floor 3")
        String description,
        @Size(max = 255) @Schema(example = "jane.doe") String caller,
        @NotNull @Min(1) @Max(3) @Schema(description = "1 high, 2 medium, 3 low", example = "2") Integer impact,
        @NotNull @Min(1) @Max(3) @Schema(description = "1 high, 2 medium, 3 low", example = "1") Integer urgency,
        @Size(max = 100) @Schema(description = "CIs affected; each must exist in the CMDB and not be retired")
        List<@NotNull UUID> configurationItemIds) {
}
