package io.itsm.cmdb.domain;

import java.time.Instant;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A configuration item as the API returns it and as its events carry it ({@code data.ci}). The stored
 * document has the same fields plus its pending events ({@code outbox}), which never leave the service.
 *
 * @param version  incremented by every change; the strong ETag is the quoted version
 * @param attributes class-specific attributes (free-form JSON object)
 */
@Schema(name = "ConfigurationItem", description = "A configuration item")
public record ConfigurationItem(
        @Schema(description = "UUID", example = "0b0e1e7e-5a3a-4e8a-9a55-0e2d4f1a3c11") String id,
        @Schema(description = "Human number", example = "CI0010001") String number,
        @Schema(example = "server") String ciClass,
        @Schema(example = "app-server-01") String name,
        CiStatus status,
        Environment environment,
        @Schema(description = "1 (highest) to 4", example = "3") int criticality,
        @Schema(example = "jane.doe") String owner,
        @Schema(example = "unix-ops") String supportGroup,
        @Schema(description = "Class-specific attributes", example = "{\"cpu\": 8, \"os\": \"Debian 12\"}") Map<String, Object> attributes,
        @Schema(example = "0") long version,
        Instant createdAt,
        Instant updatedAt) {

    public boolean isRetired() {
        return status == CiStatus.RETIRED;
    }

    /** This CI after retirement at {@code now}: status RETIRED and the next version. */
    public ConfigurationItem retired(Instant now) {
        return new ConfigurationItem(id, number, ciClass, name, CiStatus.RETIRED, environment, criticality, owner,
                supportGroup, attributes, version + 1, createdAt, now);
    }
}
