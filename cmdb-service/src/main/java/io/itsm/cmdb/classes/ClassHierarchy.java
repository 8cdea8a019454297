package io.itsm.cmdb.classes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.itsm.cmdb.domain.RelationshipType;
import io.itsm.rest.Problem;

/**
 * An immutable snapshot of the class hierarchy and everything a class inherits: its lineage, its subclasses, its
 * effective attribute schema (compiled once per class), identifier rules, relationship rules and attribute authority.
 */
public final class ClassHierarchy {

    /** Fields of the CI itself that identifier and authority rules may name besides attributes. */
    public static final Set<String> CI_FIELDS = Set.of("name", "ciClass", "status", "environment", "criticality", "owner", "supportGroup");

    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    private final Map<String, CiClass> classes;
    private final Map<String, List<String>> children = new LinkedHashMap<>();
    private final ObjectMapper json;
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

    public ClassHierarchy(Collection<CiClass> all, ObjectMapper json) {
        this.json = json;
        Map<String, CiClass> byName = new LinkedHashMap<>();
        all.stream().sorted((a, b) -> a.name().compareTo(b.name())).forEach(c -> byName.put(c.name(), c));
        this.classes = byName;
        byName.values().forEach(c -> {
            if (c.parent() != null) {
                children.computeIfAbsent(c.parent(), p -> new ArrayList<>()).add(c.name());
            }
        });
    }

    public Optional<CiClass> find(String name) {
        return Optional.ofNullable(name == null ? null : classes.get(name));
    }

    public boolean exists(String name) {
        return name != null && classes.containsKey(name);
    }

    /** Every class, parents before their children (depth first, children by name). */
    public List<CiClass> all() {
        List<CiClass> ordered = new ArrayList<>();
        classes.values().stream().filter(c -> c.parent() == null || !classes.containsKey(c.parent()))
                .forEach(root -> addTree(root, ordered));
        return ordered;
    }

    private void addTree(CiClass c, List<CiClass> into) {
        into.add(c);
        children.getOrDefault(c.name(), List.of()).forEach(child -> addTree(classes.get(child), into));
    }

    /** The class and its ancestors, the class first. */
    public List<CiClass> lineage(String name) {
        List<CiClass> lineage = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (CiClass c = classes.get(name); c != null && seen.add(c.name()); c = c.parent() == null ? null : classes.get(c.parent())) {
            lineage.add(c);
        }
        return lineage;
    }

    /** The names of the class and of every class below it. */
    public Set<String> selfAndDescendants(String name) {
        Set<String> names = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(List.of(name));
        while (!todo.isEmpty()) {
            String next = todo.remove(todo.size() - 1);
            if (names.add(next)) {
                todo.addAll(children.getOrDefault(next, List.of()));
            }
        }
        return names;
    }

    public List<String> childrenOf(String name) {
        return List.copyOf(children.getOrDefault(name, List.of()));
    }

    /** Whether {@code name} is {@code ancestor} or one of its subclasses. */
    public boolean isA(String name, String ancestor) {
        return lineage(name).stream().anyMatch(c -> c.name().equals(ancestor));
    }

    /** The attribute schema of the class with everything it inherits: properties and required merged, closed if any level is. */
    public ObjectNode effectiveSchema(String name) {
        ObjectNode properties = json.createObjectNode();
        Set<String> required = new LinkedHashSet<>();
        boolean closed = false;
        List<CiClass> lineage = lineage(name);
        for (int i = lineage.size() - 1; i >= 0; i--) {
            JsonNode schema = json.valueToTree(lineage.get(i).attributeSchema());
            schema.path("properties").fields().forEachRemaining(p -> properties.set(p.getKey(), p.getValue()));
            schema.path("required").forEach(r -> required.add(r.asText()));
            closed |= schema.path("additionalProperties").isBoolean() && !schema.path("additionalProperties").asBoolean();
        }
        ObjectNode effective = json.createObjectNode().put("type", "object");
        effective.set("properties", properties);
        if (!required.isEmpty()) {
            ArrayNode list = effective.putArray("required");
            required.forEach(list::add);
        }
        if (closed) {
            effective.put("additionalProperties", false);
        }
        return effective;
    }

    /** Checks a CI's attributes against its class's effective schema: one error per offending attribute, as {@code attributes.<path>}. */
    public List<Problem.FieldError> validateAttributes(String className, Map<String, Object> attributes) {
        JsonSchema schema = compiled.computeIfAbsent(className, n -> SCHEMAS.getSchema(effectiveSchema(n), CONFIG));
        JsonNode instance = json.valueToTree(attributes == null ? Map.of() : attributes);
        Map<String, String> byField = new java.util.TreeMap<>();
        for (ValidationMessage message : schema.validate(instance)) {
            String location = path(message.getInstanceLocation());
            if ("required".equals(message.getType()) && message.getProperty() != null) {
                location = location.isEmpty() ? message.getProperty() : location + "." + message.getProperty();
            }
            byField.merge(location.isEmpty() ? "attributes" : "attributes." + location, message.getError(), (a, b) -> a + "; " + b);
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        byField.forEach((field, reason) -> errors.add(new Problem.FieldError(field, reason)));
        return errors;
    }

    /** A validator's instance location as the API names fields: {@code a.b[0].c}. */
    static String path(JsonNodePath location) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                path.append(path.length() == 0 ? "" : ".").append(element);
            }
        }
        return path.toString();
    }

    /** The identifier rules a class uses: its own, else its nearest ancestor's; each rule is scoped to the class that defines it. */
    public Optional<ScopedRules> identifierRules(String name) {
        for (CiClass c : lineage(name)) {
            if (c.identifierRules() != null && !c.identifierRules().isEmpty()) {
                return Optional.of(new ScopedRules(c.name(), c.identifierRules()));
            }
        }
        return Optional.empty();
    }

    /** Identifier rules and the class whose CIs (with its subclasses') they search. */
    public record ScopedRules(String definedBy, List<List<String>> rules) {
    }

    /** The authority rules a class uses: its own, else its nearest ancestor's (none: every source may write everything). */
    public List<CiClass.AuthorityRule> authority(String name) {
        for (CiClass c : lineage(name)) {
            if (c.authority() != null && !c.authority().isEmpty()) {
                return c.authority();
            }
        }
        return List.of();
    }

    /** The relationship rules CIs of the class may use as source: its own and every ancestor's. */
    public List<CiClass.RelationshipRule> relationshipRules(String name) {
        List<CiClass.RelationshipRule> rules = new ArrayList<>();
        lineage(name).forEach(c -> {
            if (c.relationships() != null) {
                rules.addAll(c.relationships());
            }
        });
        return rules;
    }

    /** Whether a CI of {@code sourceClass} may be the source of a {@code type} edge to a CI of {@code targetClass}. */
    public boolean allows(String sourceClass, RelationshipType type, String targetClass) {
        return relationshipRules(sourceClass).stream().anyMatch(rule -> rule.type().equals(type.name())
                && rule.targetClasses().stream().anyMatch(allowed -> isA(targetClass, allowed)));
    }

    /** The target classes a CI of {@code sourceClass} may relate to with {@code type}, for error messages. */
    public Set<String> allowedTargets(String sourceClass, RelationshipType type) {
        Set<String> targets = new LinkedHashSet<>();
        relationshipRules(sourceClass).stream().filter(r -> r.type().equals(type.name())).forEach(r -> targets.addAll(r.targetClasses()));
        return targets;
    }

    /** The names of the properties a class and its ancestors define. */
    public Set<String> attributeNames(String name) {
        Set<String> names = new LinkedHashSet<>();
        effectiveSchema(name).path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }
}
