package io.itsm.cmdb.service;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.itsm.events.FieldChange;

/** One entry of a CI's history: the version a change produced, when, by whom, through which source, and what it changed. */
@Schema(name = "CiHistoryEntry")
public record CiHistoryEntry(
        @Schema(description = "The version the change produced", example = "1") long version,
        @Schema(example = "itsm.ci.updated") String eventType,
        Instant at,
        @Schema(description = "Who made the change", example = "jane.doe")
        String actor,
        @Schema(description = "api, an import source (e.g. discovery) or change-service", example = "api") String source,
        @Schema(description = "Each changed field (attributes as attributes.<key>) with its old and new value") List<FieldChange> changes) {
}
