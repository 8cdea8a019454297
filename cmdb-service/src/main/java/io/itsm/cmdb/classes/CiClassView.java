package io.itsm.cmdb.classes;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A class with what it inherits: what {@code GET /api/cmdb/classes/{name}} answers. */
@Schema(name = "CiClassDetails", description = "A CI class, its place in the hierarchy and its effective rules")
public record CiClassView(
        @Schema(description = "The class as stored") CiClass definition,
        @Schema(description = "The class and its ancestors, the class first", example = "[\"linux_server\", \"server\", \"hardware\", \"configuration_item\"]")
        List<String> lineage,
        @Schema(description = "The direct subclasses") List<String> subclasses,
        @Schema(description = "The schema its CIs' attributes are checked against: own and inherited properties") Map<String, Object> effectiveAttributeSchema,
        @Schema(description = "The identifier rules its CIs are matched by on import, and the class whose CIs they search")
        ClassHierarchy.ScopedRules effectiveIdentifierRules,
        @Schema(description = "The relationships its CIs may be the source of, own and inherited") List<CiClass.RelationshipRule> effectiveRelationships,
        @Schema(description = "Which import source may write which attributes (empty: every source may write everything)")
        List<CiClass.AuthorityRule> effectiveAuthority) {

    @SuppressWarnings("unchecked")
    static CiClassView of(CiClass c, ClassHierarchy hierarchy, com.fasterxml.jackson.databind.ObjectMapper json) {
        return new CiClassView(c, hierarchy.lineage(c.name()).stream().map(CiClass::name).toList(), hierarchy.childrenOf(c.name()),
                json.convertValue(hierarchy.effectiveSchema(c.name()), Map.class), hierarchy.identifierRules(c.name()).orElse(null),
                hierarchy.relationshipRules(c.name()), hierarchy.authority(c.name()));
    }
}
