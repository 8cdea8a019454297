package io.itsm.cmdb.classes;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The fields of a class a CMDB admin writes: the body of {@code POST /api/cmdb/classes} and what a PATCH may change. */
@Schema(name = "CiClassInput", description = "A CI class definition")
public record CiClassInput(
        @NotBlank @Pattern(regexp = "[a-z][a-z0-9_]{0,63}", message = "must be lower-case letters, digits and _, starting with a letter (at most 64)")
        @Schema(example = "kubernetes_node") String name,
        @Schema(description = "The parent class", example = "linux_server") String parent,
        @Size(max = 255) @Schema(example = "Kubernetes node") String label,
        @Size(max = 2000) String description,
        @Schema(description = "JSON Schema (2020-12) of the attributes the class adds; default: none",
                example = "{\"type\":\"object\",\"properties\":{\"nodePool\":{\"type\":\"string\"}},\"required\":[\"nodePool\"]}")
        Map<String, Object> attributeSchema,
        @Size(max = 10) @Schema(example = "[[\"serialNumber\"], [\"hostname\", \"domain\"]]")
        List<@Size(max = 5) List<@NotBlank String>> identifierRules,
        @Size(max = 50) List<CiClass.RelationshipRule> relationships,
        @Size(max = 50) List<CiClass.AuthorityRule> authority) {

    static CiClassInput of(CiClass c) {
        return new CiClassInput(c.name(), c.parent(), c.label(), c.description(), c.attributeSchema(), c.identifierRules(),
                c.relationships(), c.authority());
    }

    CiClass toClass(boolean builtIn, long version, Instant createdAt, Instant updatedAt) {
        return new CiClass(name, parent, label, description, attributeSchema == null ? ClassDefinitions.emptySchema() : attributeSchema,
                identifierRules == null ? List.of() : identifierRules, relationships == null ? List.of() : relationships,
                authority == null ? List.of() : authority, builtIn, version, createdAt, updatedAt);
    }
}
