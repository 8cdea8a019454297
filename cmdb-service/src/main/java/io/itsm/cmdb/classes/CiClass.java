package io.itsm.cmdb.classes;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A CI class: a node of the class hierarchy with what it adds to its parent — attributes (a JSON Schema of the
 * {@code attributes} object), how its CIs are identified on import, which relationships its CIs may be the source
 * of, and which import source may write which attributes. Subclasses inherit all of it (see {@link ClassHierarchy}).
 */
@Schema(name = "CiClass", description = "A CI class as stored: what it adds to its parent")
public record CiClass(
        @Schema(description = "Unique, lower case", example = "linux_server") String name,
        @Schema(description = "The parent class; only the root has none", example = "server") String parent,
        @Schema(example = "Linux server") String label,
        String description,
        @Schema(description = "JSON Schema (2020-12) of the attributes this class adds: {type: object, properties, required, "
                + "additionalProperties}; a subclass may add properties and required ones, not redefine inherited ones",
                example = "{\"type\":\"object\",\"properties\":{\"kernel\":{\"type\":\"string\"}},\"required\":[\"kernel\"]}")
        Map<String, Object> attributeSchema,
        @Schema(description = "Identifier rules in priority order, each a list of fields that together identify a CI on import: "
                + "name, ciClass or attribute names; none = the parent's rules", example = "[[\"serialNumber\"], [\"hostname\", \"domain\"]]")
        List<List<String>> identifierRules,
        @Schema(description = "Relationships CIs of this class may be the source of, added to the parent's")
        List<RelationshipRule> relationships,
        @Schema(description = "Which import source may write which attributes, and with what priority (1 wins); none = the parent's")
        List<AuthorityRule> authority,
        @Schema(description = "One of the standard classes the service seeds") boolean builtIn,
        @Schema(example = "0") long version,
        Instant createdAt,
        Instant updatedAt) {

    /** CIs of the owning class may be the source of a {@code type} edge to CIs of these classes (or their subclasses). */
    @Schema(name = "RelationshipRule")
    public record RelationshipRule(
            @Schema(example = "RUNS_ON") String type,
            @Schema(example = "[\"hardware\", \"cluster\"]") List<String> targetClasses) {
    }

    /**
     * Import source {@code source} may write these attributes ({@code *} = every attribute and field not named by
     * another rule); a value written by a source of a smaller {@code priority} number is never overwritten by a source
     * of a larger one.
     */
    @Schema(name = "AuthorityRule")
    public record AuthorityRule(
            @Schema(example = "discovery") String source,
            @Schema(description = "1 is the highest", example = "10") int priority,
            @Schema(example = "[\"serialNumber\", \"cpu\", \"ramGb\", \"os\"]") List<String> attributes) {
    }
}
