package io.itsm.change.blackout;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A blackout window as a client writes it (POST body, and what a PATCH must leave valid). */
@Schema(name = "BlackoutWindowInput", description = "A change freeze")
public record BlackoutWindowInput(
        @NotBlank @Size(max = 160) @Schema(example = "Year-end freeze") String name,
        @Size(max = 32000) @Schema(example = "No production changes during the financial year-end close") String description,
        @NotNull @Schema(example = "2026-12-20T00:00:00Z") Instant startsAt,
        @NotNull @Schema(example = "2027-01-04T00:00:00Z") Instant endsAt,
        @Size(max = 1000) @Schema(description = "The CIs it freezes; empty or absent freezes every CI") List<@NotNull UUID> configurationItemIds) {
}
