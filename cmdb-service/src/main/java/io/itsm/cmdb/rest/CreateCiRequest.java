package io.itsm.cmdb.rest;

import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.itsm.cmdb.domain.CiStatus;
import io.itsm.cmdb.domain.Environment;
import io.itsm.cmdb.service.NewCi;

/** The body of {@code POST /api/cmdb/cis}. */
@Schema(name = "CreateConfigurationItem", description = "A new configuration item")
public record CreateCiRequest(
        @NotBlank @Size(max = 64) @Pattern(regexp = "[a-z][a-z0-9_]*", message = "must be lower-case letters, digits and _, starting with a letter")
        @Schema(description = "The CI class", example = "server", pattern = "[a-z][a-z0-9_]*", maxLength = 64)
        String ciClass,
        @NotBlank @Size(max = 255) @Schema(example = "app-server-01", maxLength = 255) String name,
        @Schema(description = "Default INSTALLED") CiStatus status,
        Environment environment,
        @Min(1) @Max(4) @Schema(description = "1 (highest) to 4; default 3", example = "2", minimum = "1", maximum = "4")
        Integer criticality,
        @Size(max = 255) @Schema(example = "jane.doe") String owner,
        @Size(max = 255) @Schema(example = "unix-ops") String supportGroup,
        @Size(max = 200)
        @Schema(description = "Class-specific attributes: a JSON object whose keys are letters, digits, _ or -",
                example = "{\"cpu\": 8, \"os\": \"Debian 12\"}")
        Map<@Pattern(regexp = "[A-Za-z_][A-Za-z0-9_-]{0,63}", message = "keys must be letters, digits, _ or - (at most 64), starting with a letter or _") String, Object> attributes) {

    NewCi toCommand() {
        return new NewCi(ciClass, name, status, environment, criticality, owner, supportGroup, attributes);
    }
}
