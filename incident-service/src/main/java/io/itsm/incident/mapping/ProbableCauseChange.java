package io.itsm.incident.mapping;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A recently implemented change that may have caused the incident, as change-service correlated it. */
@Schema(name = "ProbableCauseChange")
public record ProbableCauseChange(
        UUID changeId,
        @Schema(example = "CHG0010007") String changeNumber,
        @Schema(description = "CMDB hops between a CI of the incident and a CI of the change; 0 when they share a CI") int distance,
        @Schema(description = "When the change was implemented") Instant implementedAt,
        @Schema(description = "Higher is more likely") double score) {
}
