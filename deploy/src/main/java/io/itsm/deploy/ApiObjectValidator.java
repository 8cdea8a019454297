package io.itsm.deploy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Validates rendered objects offline, as far as an API server would reject them: core kinds are read strictly
 * into the Kubernetes API types (fabric8 model: unknown fields and wrong types fail), required fields are
 * checked, and references between objects (Service to pods, Ingress/HTTPRoute to Service, HPA to Deployment,
 * envFrom to ConfigMap) must resolve within the render. Operator resources, whose schemas are not available
 * offline, must at least be of a known apiVersion and kind.
 */
public final class ApiObjectValidator {

    private static final Map<String, Class<?>> CORE_TYPES = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/Pod", Pod.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("apps/v1/DaemonSet", DaemonSet.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("gateway.networking.k8s.io/v1/HTTPRoute", HTTPRoute.class));

    /** Operator resources of the versions deploy/README.md names. */
    private static final Set<String> CUSTOM_RESOURCES = Set.of(
            "kafka.strimzi.io/v1beta2/Kafka",
            "kafka.strimzi.io/v1beta2/KafkaNodePool",
            "kafka.strimzi.io/v1beta2/KafkaTopic",
            "kafka.strimzi.io/v1beta2/KafkaUser",
            "postgresql.cnpg.io/v1/Cluster",
            "mongodbcommunity.mongodb.com/v1/MongoDBCommunity",
            "monitoring.coreos.com/v1/ServiceMonitor",
            "monitoring.coreos.com/v1/PrometheusRule");

    /** DNS-1123 subdomain, what most kinds require of metadata.name. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private static final ObjectMapper STRICT = strictMapper();

    private final Manifest manifest;
    private final List<Violation> violations = new ArrayList<>();

    private ApiObjectValidator(Manifest manifest) {
        this.manifest = manifest;
    }

    public static List<Violation> validate(Manifest manifest) {
        ApiObjectValidator validator = new ApiObjectValidator(manifest);
        manifest.objects().forEach(validator::validate);
        return List.copyOf(validator.violations);
    }

    private void validate(ObjectNode object) {
        String subject = Manifest.subject(object);
        String name = Manifest.name(object);
        if (name.isEmpty() || name.length() > 253 || !NAME.matcher(name).matches()) {
            add("required", subject, "metadata.name must be a lower-case DNS subdomain, is \"" + name + "\"");
        }
        String type = object.path("apiVersion").asText() + "/" + Manifest.kind(object);
        Class<?> coreType = CORE_TYPES.get(type);
        if (coreType != null) {
            deserializeStrictly(subject, object, coreType);
            checkRequiredFields(subject, object);
            checkReferences(subject, object);
        } else if (CUSTOM_RESOURCES.contains(type)) {
            if (!object.path("spec").isObject()) {
                add("required", subject, "has no spec");
            }
        } else {
            add("unknown-kind", subject, "no schema known for " + type + ": fix the apiVersion or teach "
                    + ApiObjectValidator.class.getSimpleName() + " the kind");
        }
    }

    private void deserializeStrictly(String subject, ObjectNode object, Class<?> type) {
        try {
            STRICT.treeToValue(object, type);
        } catch (UnrecognizedPropertyException e) {
            add("schema", subject, "unknown field " + path(e));
        } catch (JsonMappingException e) {
            add("schema", subject, "at " + path(e) + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (Exception e) {
            add("schema", subject, e.getMessage());
        }
    }

    private void checkRequiredFields(String subject, JsonNode object) {
        JsonNode spec = object.path("spec");
        switch (Manifest.kind(object)) {
            case "Deployment", "StatefulSet", "DaemonSet" -> {
                PodTemplate pod = PodTemplate.of((ObjectNode) object).orElseThrow();
                JsonNode selector = spec.path("selector");
                if (LabelSelector.isEmpty(selector)) {
                    add("required", subject, "spec.selector is missing");
                } else if (!LabelSelector.matches(selector, pod.labels())) {
                    add("required", subject, "spec.selector does not select the labels of spec.template");
                }
                if (pod.containers().findAny().isEmpty()) {
                    add("required", subject, "spec.template.spec.containers is empty");
                }
                pod.allContainers().forEach(c -> {
                    if (c.path("name").asText().isEmpty() || c.path("image").asText().isEmpty()) {
                        add("required", subject, "every container needs a name and an image");
                    }
                });
            }
            case "Service" -> {
                if (spec.path("ports").isEmpty()) {
                    add("required", subject, "spec.ports is empty");
                }
                spec.path("ports").forEach(p -> {
                    if (!p.path("port").isInt()) {
                        add("required", subject, "every port needs a numeric port");
                    }
                });
            }
            case "NetworkPolicy" -> {
                if (!spec.path("podSelector").isObject()) {
                    add("required", subject, "spec.podSelector is missing (use {} for all pods)");
                }
            }
            case "PodDisruptionBudget" -> {
                if (LabelSelector.isEmpty(spec.path("selector"))) {
                    add("required", subject, "spec.selector is missing");
                }
                if (spec.has("minAvailable") == spec.has("maxUnavailable")) {
                    add("required", subject, "needs exactly one of spec.minAvailable and spec.maxUnavailable");
                }
            }
            case "HorizontalPodAutoscaler" -> {
                JsonNode target = spec.path("scaleTargetRef");
                if (target.path("kind").asText().isEmpty() || target.path("name").asText().isEmpty()) {
                    add("required", subject, "spec.scaleTargetRef needs kind and name");
                }
                if (!spec.path("maxReplicas").isInt()
                        || spec.path("minReplicas").asInt(1) > spec.path("maxReplicas").asInt()) {
                    add("required", subject, "spec.maxReplicas is missing or below spec.minReplicas");
                }
            }
            case "HTTPRoute" -> {
                if (spec.path("parentRefs").isEmpty()) {
                    add("required", subject, "spec.parentRefs is empty: the route attaches to no Gateway");
                }
            }
            default -> {
                // the strict deserialisation is all these kinds need
            }
        }
    }

    private void checkReferences(String subject, ObjectNode object) {
        switch (Manifest.kind(object)) {
            case "Service" -> checkServiceSelectsPods(subject, object);
            case "Ingress" -> object.path("spec").path("rules").forEach(rule -> rule.path("http").path("paths")
                    .forEach(p -> {
                        JsonNode service = p.path("backend").path("service");
                        JsonNode port = service.path("port");
                        checkServicePort(subject, service.path("name").asText(),
                                port.has("name") ? port.path("name") : port.path("number"));
                    }));
            case "HTTPRoute" -> object.path("spec").path("rules").forEach(rule -> rule.path("backendRefs")
                    .forEach(ref -> {
                        if (ref.path("kind").asText("Service").equals("Service")) {
                            checkServicePort(subject, ref.path("name").asText(), ref.path("port"));
                        }
                    }));
            case "HorizontalPodAutoscaler" -> {
                JsonNode target = object.path("spec").path("scaleTargetRef");
                if (manifest.find(target.path("kind").asText(), target.path("name").asText()).isEmpty()) {
                    add("reference", subject, "scales " + target.path("kind").asText() + "/"
                            + target.path("name").asText() + ", which this render does not contain");
                }
            }
            default -> PodTemplate.of(object).ifPresent(pod -> pod.allContainers()
                    .forEach(c -> c.path("envFrom").forEach(source -> {
                        JsonNode ref = source.path("configMapRef");
                        if (ref.isObject() && !ref.path("optional").asBoolean(false)
                                && manifest.find("ConfigMap", ref.path("name").asText()).isEmpty()) {
                            add("reference", subject, "envFrom names ConfigMap/" + ref.path("name").asText()
                                    + ", which this render does not contain");
                        }
                    })));
        }
    }

    /** A Service must select the pods of some workload and target ports those pods declare. */
    private void checkServiceSelectsPods(String subject, ObjectNode service) {
        JsonNode selector = service.path("spec").path("selector");
        if (selector.isEmpty()) {
            return; // a Service without selector has its endpoints managed elsewhere
        }
        Map<String, String> wanted = new HashMap<>();
        selector.properties().forEach(e -> wanted.put(e.getKey(), e.getValue().asText()));
        List<PodTemplate> selected = manifest.objects().stream()
                .flatMap(o -> PodTemplate.of(o).stream())
                .filter(pod -> pod.labels().entrySet().containsAll(wanted.entrySet()))
                .toList();
        if (selected.isEmpty()) {
            add("reference", subject, "its selector " + wanted + " selects no pods of this render");
            return;
        }
        Set<String> portNames = new HashSet<>();
        Set<Integer> portNumbers = new HashSet<>();
        selected.forEach(pod -> pod.containers().forEach(c -> c.path("ports").forEach(p -> {
            portNames.add(p.path("name").asText());
            portNumbers.add(p.path("containerPort").asInt());
        })));
        service.path("spec").path("ports").forEach(p -> {
            JsonNode target = p.has("targetPort") ? p.path("targetPort") : p.path("port");
            boolean declared = target.isInt() ? portNumbers.contains(target.asInt()) : portNames.contains(target.asText());
            if (!declared) {
                add("reference", subject, "targetPort " + target.asText() + " is not a container port of its pods");
            }
        });
    }

    private void checkServicePort(String subject, String serviceName, JsonNode port) {
        var service = manifest.find("Service", serviceName);
        if (service.isEmpty()) {
            add("reference", subject, "routes to Service/" + serviceName + ", which this render does not contain");
            return;
        }
        boolean exists = false;
        for (JsonNode p : service.get().path("spec").path("ports")) {
            exists |= port.isInt() ? p.path("port").asInt() == port.asInt() : p.path("name").asText().equals(port.asText());
        }
        if (!exists) {
            add("reference", subject, "routes to port " + port.asText() + " that Service/" + serviceName + " does not have");
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /**
     * The fabric8 types keep unknown fields in an any-setter map; switching any-setters off makes them fail.
     * Scalar coercion is off as well: the API server rejects "3" for an integer and 16 for a string.
     */
    private static ObjectMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .annotationIntrospector(new JacksonAnnotationIntrospector() {
                    @Override
                    public Boolean hasAnySetter(Annotated member) {
                        return Boolean.FALSE;
                    }
                })
                .build();
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    private void add(String rule, String subject, String message) {
        violations.add(new Violation(rule, subject, message));
    }
}
