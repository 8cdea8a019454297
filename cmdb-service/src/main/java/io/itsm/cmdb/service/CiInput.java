package io.itsm.cmdb.service;

import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.itsm.cmdb.domain.CiStatus;
import io.itsm.cmdb.domain.ConfigurationItem;
import io.itsm.cmdb.domain.Environment;

/**
 * The fields of a CI a client writes: the body of {@code POST /api/cmdb/cis}, and what a {@code PATCH} may change.
 * {@code null} status and criticality take their defaults on create (INSTALLED, 3).
 */
@Schema(name = "ConfigurationItemInput", description = "The writable fields of a configuration item")
public record CiInput(
        @NotBlank @Size(max = 64) @Pattern(regexp = "[a-z][a-z0-9_]*", message = "must be lower-case letters, digits and _, starting with a letter")
        @Schema(description = "The CI class (GET /api/cmdb/classes)", example = "linux_server", pattern = "[a-z][a-z0-9_]*", maxLength = 64)
        String ciClass,
        @NotBlank @Size(max = 255) @Schema(example = "app-server-01", maxLength = 255) String name,
        @Schema(description = "Default INSTALLED; RETIRED only through POST /api/cmdb/cis/{id}/retire") CiStatus status,
        Environment environment,
        @Min(1) @Max(4) @Schema(description = "1 (highest) to 4; default 3", example = "2", minimum = "1", maximum = "4")
        Integer criticality,
        @Size(max = 255) @Schema(example = "jane.doe") String owner,
        @Size(max = 255) @Schema(example = "unix-ops") String supportGroup,
        @Size(max = 200)
        @Schema(description = "Class-specific attributes, checked against the class's attribute schema; keys are letters, digits, _ or -",
                example = "{\"cpu\": 8, \"os\": \"Debian 12\", \"hostname\": \"app-server-01\", \"domain\": \"example.org\"}")
        Map<@Pattern(regexp = "[A-Za-z_][A-Za-z0-9_-]{0,63}", message = "keys must be letters, digits, _ or - (at most 64), starting with a letter or _") String, Object> attributes) {

    /** The writable fields of a CI as they are now, the base a merge patch applies to. */
    public static CiInput of(ConfigurationItem ci) {
        return new CiInput(ci.ciClass(), ci.name(), ci.status(), ci.environment(), ci.criticality(), ci.owner(), ci.supportGroup(),
                ci.attributes());
    }
}
