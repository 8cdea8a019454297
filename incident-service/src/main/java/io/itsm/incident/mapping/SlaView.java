package io.itsm.incident.mapping;

import java.time.Duration;
import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The SLA of an incident as the API shows it; durations are ISO-8601 ({@code PT4H}). */
@Schema(name = "IncidentSla", description = "Response and resolution targets of the incident's priority on a 24x7 clock; "
        + "the resolution clock pauses while ON_HOLD or RESOLVED and stops when CLOSED or CANCELED")
public record SlaView(
        @Schema(description = "Response target; null when the priority has none", example = "PT30M") Duration responseTarget,
        @Schema(description = "Resolution target; null when the priority has none", example = "PT8H") Duration resolutionTarget,
        @Schema(description = "When the first response is due") Instant responseDueAt,
        @Schema(description = "When the resolution is due; while paused, as if the clock resumed now") Instant resolutionDueAt,
        @Schema(description = "Running time of the resolution clock so far", example = "PT1H12M") Duration elapsed,
        @Schema(description = "Time the resolution clock was paused so far", example = "PT20M") Duration pausedTime,
        @Schema(description = "Whether the resolution clock is paused now") boolean paused,
        @Schema(description = "75 % (configurable) of the response target passed without a response") boolean responseWarning,
        boolean responseBreached,
        @Schema(description = "75 % (configurable) of the resolution target passed") boolean resolutionWarning,
        boolean resolutionBreached) {
}
