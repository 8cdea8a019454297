package io.itsm.cmdb.domain;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The change request being implemented on a CI (from change-service's events), shown on the CI while it lasts. */
@Schema(name = "UnderChange", description = "The change in IMPLEMENT that has this CI in scope")
public record UnderChange(
        @Schema(description = "The change's id") String changeId,
        @Schema(example = "CHG0010001") String changeNumber,
        @Schema(description = "When the change entered IMPLEMENT") Instant since) {
}
