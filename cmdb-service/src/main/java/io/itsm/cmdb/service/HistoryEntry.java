package io.itsm.cmdb.service;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.itsm.events.FieldChange;
import io.itsm.rest.paging.InMemoryPages;

/**
 * One entry of a CI's or a relationship's history: the version a change produced, when, by whom, through which
 * source, and what it changed.
 */
@Schema(name = "CmdbHistoryEntry", description = "One change of a CI or relationship: the version it produced, when, who, through "
        + "which source, and each field from -> to")
public record HistoryEntry(
        @Schema(description = "The version the change produced", example = "1") long version,
        @Schema(example = "itsm.ci.updated") String eventType,
        Instant at,
        @Schema(description = "Who made the change", example = "jane.doe")
        String actor,
        @Schema(description = "api, an import source (e.g. discovery), change-service (the under-change marker) or system", example = "api")
        String source,
        @Schema(description = "Each changed field (attributes as attributes.<key>) with its old and new value") List<FieldChange> changes) {

    /** Histories are paged oldest first, by version. */
    static final InMemoryPages.Order<HistoryEntry> BY_VERSION = new InMemoryPages.Order<>("version", 1,
            entry -> List.of(Long.toString(entry.version())), (entry, after) -> entry.version() > Long.parseLong(after.get(0)));
}
