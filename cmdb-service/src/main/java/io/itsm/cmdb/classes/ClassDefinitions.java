package io.itsm.cmdb.classes;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;

import io.itsm.cmdb.domain.RelationshipType;
import io.itsm.rest.Problem;

/**
 * What makes a class definition acceptable in a hierarchy: a known parent and no cycle, an attribute schema that is
 * valid JSON Schema 2020-12 of the simple shape the CMDB merges (no references: nothing is ever fetched), no property
 * an ancestor or a subclass defines already, and rules that name known fields, types, classes and sources.
 */
final class ClassDefinitions {

    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    static final Pattern SOURCE = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
    private static final Set<String> SCHEMA_KEYWORDS = Set.of("type", "properties", "required", "additionalProperties", "title",
            "description", "$comment");
    private static final JsonSchema META_SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    private ClassDefinitions() {
    }

    /**
     * @param candidate the class as it would be stored
     * @param others    the hierarchy without the candidate (for an update: without its current definition)
     * @return one error per problem, empty when the class may be stored
     */
    static List<Problem.FieldError> check(CiClass candidate, List<CiClass> others, ObjectMapper json) {
        List<Problem.FieldError> errors = new ArrayList<>();
        List<CiClass> all = new ArrayList<>(others);
        all.add(candidate);
        ClassHierarchy hierarchy = new ClassHierarchy(all, json);
        if (candidate.parent() == null) {
            if (!candidate.builtIn()) {
                errors.add(new Problem.FieldError("parent", "is required: every class but the standard root has a parent"));
            }
        } else if (!hierarchy.exists(candidate.parent())) {
            errors.add(new Problem.FieldError("parent", "names class " + candidate.parent() + ", which does not exist"));
        } else if (hierarchy.lineage(candidate.parent()).stream().anyMatch(c -> c.name().equals(candidate.name()))) {
            errors.add(new Problem.FieldError("parent", "would make " + candidate.name() + " its own ancestor"));
        }
        checkSchema(candidate, hierarchy, json, errors);
        if (!errors.isEmpty()) {
            return errors;
        }
        Set<String> attributes = hierarchy.attributeNames(candidate.name());
        checkIdentifierRules(candidate, attributes, errors);
        checkRelationships(candidate, hierarchy, errors);
        checkAuthority(candidate, attributes, errors);
        return errors;
    }

    private static void checkSchema(CiClass candidate, ClassHierarchy hierarchy, ObjectMapper json, List<Problem.FieldError> errors) {
        JsonNode schema = json.valueToTree(candidate.attributeSchema());
        if (schema == null || !schema.isObject()) {
            errors.add(new Problem.FieldError("attributeSchema", "must be a JSON Schema object"));
            return;
        }
        for (Iterator<String> keys = schema.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!SCHEMA_KEYWORDS.contains(key)) {
                errors.add(new Problem.FieldError("attributeSchema." + key, "is not supported at the top level; use " + SCHEMA_KEYWORDS));
            }
        }
        if (schema.has("type") && !"object".equals(schema.path("type").asText())) {
            errors.add(new Problem.FieldError("attributeSchema.type", "must be \"object\""));
        }
        findReferences(schema, "attributeSchema", errors);
        META_SCHEMA.validate(schema).forEach(m -> {
            String path = ClassHierarchy.path(m.getInstanceLocation());
            errors.add(new Problem.FieldError(path.isEmpty() ? "attributeSchema" : "attributeSchema." + path, m.getError()));
        });
        if (!errors.isEmpty()) {
            return;
        }
        JsonNode properties = schema.path("properties");
        for (Iterator<String> names = properties.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            String field = "attributeSchema.properties." + name;
            if (!name.matches("[A-Za-z_][A-Za-z0-9_-]{0,63}")) {
                errors.add(new Problem.FieldError(field, "attribute names are letters, digits, _ or - (at most 64), starting with a letter or _"));
            }
            hierarchy.lineage(candidate.name()).stream().skip(1).filter(c -> definesProperty(c, name, json)).findFirst().ifPresent(c ->
                    errors.add(new Problem.FieldError(field, "is defined by the ancestor class " + c.name() + " already")));
            hierarchy.selfAndDescendants(candidate.name()).stream().filter(n -> !n.equals(candidate.name()))
                    .map(n -> hierarchy.find(n).orElseThrow()).filter(c -> definesProperty(c, name, json)).findFirst().ifPresent(c ->
                            errors.add(new Problem.FieldError(field, "is defined by the subclass " + c.name() + " already")));
        }
    }

    private static boolean definesProperty(CiClass c, String property, ObjectMapper json) {
        return json.valueToTree(c.attributeSchema()).path("properties").has(property);
    }

    /** References could make the validator load documents from elsewhere: refused anywhere in the schema. */
    private static void findReferences(JsonNode node, String path, List<Problem.FieldError> errors) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if (f.getKey().startsWith("$") && !f.getKey().equals("$comment")) {
                    errors.add(new Problem.FieldError(path + "." + f.getKey(), "is not supported: a class schema is self-contained"));
                } else {
                    findReferences(f.getValue(), path + "." + f.getKey(), errors);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                findReferences(node.get(i), path + "[" + i + "]", errors);
            }
        }
    }

    private static void checkIdentifierRules(CiClass candidate, Set<String> attributes, List<Problem.FieldError> errors) {
        List<List<String>> rules = candidate.identifierRules() == null ? List.of() : candidate.identifierRules();
        for (int i = 0; i < rules.size(); i++) {
            List<String> rule = rules.get(i);
            if (rule == null || rule.isEmpty()) {
                errors.add(new Problem.FieldError("identifierRules[" + i + "]", "must name at least one field"));
                continue;
            }
            for (String field : rule) {
                if (!ClassHierarchy.CI_FIELDS.contains(field) && !attributes.contains(field)) {
                    errors.add(new Problem.FieldError("identifierRules[" + i + "]", "names " + field
                            + ", which is neither a CI field " + ClassHierarchy.CI_FIELDS + " nor an attribute of the class"));
                }
            }
        }
    }

    private static void checkRelationships(CiClass candidate, ClassHierarchy hierarchy, List<Problem.FieldError> errors) {
        List<CiClass.RelationshipRule> rules = candidate.relationships() == null ? List.of() : candidate.relationships();
        for (int i = 0; i < rules.size(); i++) {
            CiClass.RelationshipRule rule = rules.get(i);
            String field = "relationships[" + i + "]";
            if (rule == null || rule.type() == null || RelationshipType.byName(rule.type()).filter(n -> !n.inverted()).isEmpty()) {
                errors.add(new Problem.FieldError(field + ".type", "must be one of DEPENDS_ON, RUNS_ON, HOSTED_ON, CONTAINS, CONNECTS_TO, MEMBER_OF"));
                continue;
            }
            if (rule.targetClasses() == null || rule.targetClasses().isEmpty()) {
                errors.add(new Problem.FieldError(field + ".targetClasses", "must name at least one class"));
                continue;
            }
            rule.targetClasses().stream().filter(c -> !hierarchy.exists(c)).forEach(c ->
                    errors.add(new Problem.FieldError(field + ".targetClasses", "names class " + c + ", which does not exist")));
        }
    }

    private static void checkAuthority(CiClass candidate, Set<String> attributes, List<Problem.FieldError> errors) {
        List<CiClass.AuthorityRule> rules = candidate.authority() == null ? List.of() : candidate.authority();
        for (int i = 0; i < rules.size(); i++) {
            CiClass.AuthorityRule rule = rules.get(i);
            String field = "authority[" + i + "]";
            if (rule == null || rule.source() == null || !SOURCE.matcher(rule.source()).matches()) {
                errors.add(new Problem.FieldError(field + ".source", "must be lower-case letters, digits, _ or -, starting with a letter"));
                continue;
            }
            if (rule.priority() < 1 || rule.priority() > 1000) {
                errors.add(new Problem.FieldError(field + ".priority", "must be 1 (highest) to 1000"));
            }
            if (rule.attributes() == null || rule.attributes().isEmpty()) {
                errors.add(new Problem.FieldError(field + ".attributes", "must name at least one attribute, or *"));
                continue;
            }
            rule.attributes().stream().filter(a -> !a.equals("*") && !ClassHierarchy.CI_FIELDS.contains(a) && !attributes.contains(a))
                    .forEach(a -> errors.add(new Problem.FieldError(field + ".attributes", "names " + a + ", which is not an attribute of the class")));
            if (rules.stream().filter(r -> r != null && rule.source().equals(r.source())).count() > 1) {
                errors.add(new Problem.FieldError(field + ".source", "names " + rule.source() + " more than once"));
            }
        }
    }

    static Map<String, Object> emptySchema() {
        return Map.of("type", "object", "properties", Map.of());
    }
}
