package io.itsm.change.blackout;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A blackout window as the API returns it. */
@Schema(name = "BlackoutWindow")
public record BlackoutWindowView(UUID id, @Schema(example = "Year-end freeze") String name, String description, Instant startsAt,
                                 Instant endsAt, @Schema(description = "Empty: every CI") List<UUID> configurationItemIds,
                                 String createdBy, Instant createdAt, Instant updatedAt, long version) {

    public static BlackoutWindowView of(BlackoutWindow w) {
        return new BlackoutWindowView(w.id, w.name(), w.input().description(), w.startsAt(), w.endsAt(),
                List.copyOf(w.configurationItemIds()), w.createdBy, w.createdAt, w.updatedAt, w.version);
    }
}
