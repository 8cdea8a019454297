package io.itsm.change.mapping;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.itsm.change.ChangeState;
import io.itsm.change.ChangeType;

/** A change request as the API returns it and as its events carry it. */
@Schema(name = "Change")
public record ChangeView(
        UUID id,
        @Schema(example = "CHG0010001") String number,
        ChangeType type,
        @Schema(example = "Patch the mail cluster to 15.2") String shortDescription,
        String description,
        @Schema(example = "john.smith") String requestedBy,
        Instant plannedStart,
        Instant plannedEnd,
        ChangeState state,
        Instant createdAt,
        Instant updatedAt,
        long version) {
}
