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
        @Schema(description = "Set while a change in IMPLEMENT has the CI in scope; null otherwise") UnderChange underChange,
        @Schema(example = "0") long version,
        Instant createdAt,
        Instant updatedAt) {

    public boolean isRetired() {
        return status == CiStatus.RETIRED;
    }

    /** This CI with its writable fields replaced (the version and update time stay: {@link #nextVersion} sets them). */
    public ConfigurationItem with(String ciClass, String name, CiStatus status, Environment environment, int criticality, String owner,
                                  String supportGroup, Map<String, Object> attributes) {
        return new ConfigurationItem(id, number, ciClass, name, status, environment, criticality, owner, supportGroup, attributes,
                underChange, version, createdAt, updatedAt);
    }

    public ConfigurationItem withStatus(CiStatus status) {
        return with(ciClass, name, status, environment, criticality, owner, supportGroup, attributes);
    }

    public ConfigurationItem withUnderChange(UnderChange underChange) {
        return new ConfigurationItem(id, number, ciClass, name, status, environment, criticality, owner, supportGroup, attributes,
                underChange, version, createdAt, updatedAt);
    }

    /** This state as the next version, changed at {@code now}. */
    public ConfigurationItem nextVersion(Instant now) {
        return new ConfigurationItem(id, number, ciClass, name, status, environment, criticality, owner, supportGroup, attributes,
                underChange, version + 1, createdAt, now);
    }

    /**
     * The fields as history and events compare them: each top-level field, and each attribute as {@code attributes.<key>}
     * (so a change names the attributes it touched). The same keys for any two CIs compared.
     */
    public Map<String, Object> comparable(java.util.Set<String> attributeKeys) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("ciClass", ciClass);
        fields.put("name", name);
        fields.put("status", status == null ? null : status.name());
        fields.put("environment", environment == null ? null : environment.name());
        fields.put("criticality", criticality);
        fields.put("owner", owner);
        fields.put("supportGroup", supportGroup);
        attributeKeys.forEach(key -> fields.put("attributes." + key, attributes == null ? null : attributes.get(key)));
        fields.put("underChange", underChange);
        return fields;
    }
}
