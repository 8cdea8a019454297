package io.itsm.incident.mapping;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.itsm.incident.IncidentFields;

/**
 * The editable fields of an incident as a client sends them: the body of {@code POST /api/incidents}, and the
 * document a {@code PATCH} (JSON Merge Patch) must leave valid. Priority is not accepted: it follows from impact
 * and urgency.
 */
@Schema(name = "IncidentInput", description = "The editable fields of an incident")
public record IncidentInput(
        @NotBlank @Size(max = 160) @Schema(example = "Email is down for the finance team", maxLength = 160)
        String shortDescription,
        @Size(max = 32000) @Schema(example = "Outlook shows 'disconnected' since 09:10 for everyone on floor 3")
        String description,
        @Size(max = 255) @Schema(example = "jane.doe") String caller,
        @Size(max = 100) @Schema(example = "software") String category,
        @Size(max = 100) @Schema(example = "email") String subcategory,
        @NotNull @Min(1) @Max(3) @Schema(description = "1 high, 2 medium, 3 low", example = "2") Integer impact,
        @NotNull @Min(1) @Max(3) @Schema(description = "1 high, 2 medium, 3 low", example = "1") Integer urgency,
        @Size(max = 255) @Schema(example = "service-desk") String assignmentGroup,
        @Size(max = 255) @Schema(description = "Assigning someone to a NEW incident moves it to IN_PROGRESS", example = "sam.agent")
        String assignee,
        @Size(max = 100) @Schema(description = "CIs affected; each must exist in the CMDB and not be retired")
        List<@NotNull UUID> configurationItemIds,
        @Schema(description = "Handle as a major incident", defaultValue = "false") Boolean majorIncident,
        @Schema(description = "Make this incident a child of another (one level: a parent has no parent)") UUID parentIncidentId) {

    public IncidentFields toFields() {
        return new IncidentFields(shortDescription, description, caller, category, subcategory, impact, urgency,
                assignmentGroup, assignee, configurationItemIds == null ? List.of() : configurationItemIds,
                Boolean.TRUE.equals(majorIncident), parentIncidentId);
    }

    public static IncidentInput of(IncidentFields fields) {
        return new IncidentInput(fields.shortDescription(), fields.description(), fields.caller(), fields.category(),
                fields.subcategory(), fields.impact(), fields.urgency(), fields.assignmentGroup(), fields.assignee(),
                fields.configurationItemIds(), fields.majorIncident(), fields.parentIncidentId());
    }
}
