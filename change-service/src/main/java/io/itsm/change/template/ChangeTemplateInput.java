package io.itsm.change.template;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A standard-change template as a client writes it (POST body, and what a PATCH must leave valid). */
@Schema(name = "ChangeTemplateInput", description = "A pre-approved standard change")
public record ChangeTemplateInput(
        @NotBlank @Size(max = 160) @Schema(example = "Monthly OS patch of a Linux web node") String name,
        @NotBlank @Size(max = 160) @Schema(example = "Apply the monthly OS patches") String shortDescription,
        @Size(max = 32000) String description,
        @NotBlank @Size(max = 32000) @Schema(example = "Drain from the load balancer, dnf update, reboot, rejoin") String implementationPlan,
        @NotBlank @Size(max = 32000) @Schema(example = "Boot the previous kernel; restore the snapshot") String backoutPlan,
        @NotBlank @Size(max = 32000) @Schema(example = "Health check green for 10 minutes") String testPlan,
        @NotEmpty @Size(max = 100) @Schema(description = "The CIs a change from this template may touch") List<@NotNull UUID> configurationItemIds,
        @Size(max = 255) @Schema(example = "web-ops") String assignmentGroup,
        @Schema(description = "Only active templates can be used; default true", defaultValue = "true") Boolean active) {
}
