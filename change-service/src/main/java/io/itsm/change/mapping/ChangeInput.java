package io.itsm.change.mapping;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.itsm.change.ChangeFields;
import io.itsm.change.ChangeType;

/**
 * A change request as a client writes it: the body of {@code POST /api/changes}, and the document a {@code PATCH}
 * (JSON Merge Patch) must leave valid. The type is chosen once, at creation.
 */
@Schema(name = "ChangeInput", description = "The editable fields of a change request")
public record ChangeInput(
        @NotNull @Schema(description = "NORMAL (assessed, CAB-authorized), EMERGENCY (expedited authorization) or STANDARD (pre-approved)", example = "NORMAL")
        ChangeType type,
        @Schema(description = "STANDARD only: the standard-change template it is raised from; its plans, CIs and short description are taken from there")
        UUID templateId,
        @Size(max = 160) @Schema(description = "Required unless it comes from a template", example = "Patch the mail cluster to 15.2", maxLength = 160)
        String shortDescription,
        @Size(max = 32000) @Schema(example = "Security update of both mail nodes") String description,
        @Size(max = 32000) @Schema(example = "Closes CVE-2026-1234") String justification,
        @Size(max = 32000) @Schema(example = "Drain node 1, patch, rejoin; then node 2") String implementationPlan,
        @Size(max = 32000) @Schema(example = "Reinstall 15.1 from the snapshot") String backoutPlan,
        @Size(max = 32000) @Schema(example = "Send and receive a test mail through each node") String testPlan,
        @Size(max = 100) @Schema(description = "The CIs the change touches") List<@NotNull UUID> configurationItemIds,
        @Schema(example = "2026-12-05T22:00:00Z") Instant plannedStart,
        @Schema(example = "2026-12-05T23:30:00Z") Instant plannedEnd,
        @Size(max = 255) @Schema(example = "messaging-ops") String assignmentGroup,
        @Size(max = 255) @Schema(example = "sam.agent") String assignee) {

    public ChangeFields toFields() {
        return new ChangeFields(shortDescription, description, justification, implementationPlan, backoutPlan, testPlan,
                configurationItemIds == null ? java.util.Set.of() : new LinkedHashSet<>(configurationItemIds),
                plannedStart, plannedEnd, assignmentGroup, assignee);
    }

    public static ChangeInput of(ChangeType type, UUID templateId, ChangeFields fields) {
        return new ChangeInput(type, templateId, fields.shortDescription(), fields.description(), fields.justification(),
                fields.implementationPlan(), fields.backoutPlan(), fields.testPlan(), List.copyOf(fields.configurationItemIds()),
                fields.plannedStart(), fields.plannedEnd(), fields.assignmentGroup(), fields.assignee());
    }
}
