package io.itsm.deploy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The pod template of a workload object, wherever its kind keeps it. */
public record PodTemplate(ObjectNode owner, JsonNode metadata, JsonNode spec) {

    private static final Set<String> TEMPLATE_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
            "Job");

    /** The template of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod; empty otherwise. */
    public static Optional<PodTemplate> of(ObjectNode object) {
        String kind = Manifest.kind(object);
        if (TEMPLATE_KINDS.contains(kind)) {
            JsonNode template = object.path("spec").path("template");
            return Optional.of(new PodTemplate(object, template.path("metadata"), template.path("spec")));
        }
        if (kind.equals("CronJob")) {
            JsonNode template = object.path("spec").path("jobTemplate").path("spec").path("template");
            return Optional.of(new PodTemplate(object, template.path("metadata"), template.path("spec")));
        }
        if (kind.equals("Pod")) {
            return Optional.of(new PodTemplate(object, object.path("metadata"), object.path("spec")));
        }
        return Optional.empty();
    }

    /** Whether the pods run until stopped (and so need probes), unlike a Job's. */
    public boolean longRunning() {
        return !Set.of("Job", "CronJob").contains(Manifest.kind(owner));
    }

    public Stream<JsonNode> containers() {
        return stream(spec.path("containers"));
    }

    public Stream<JsonNode> initContainers() {
        return stream(spec.path("initContainers"));
    }

    public Stream<JsonNode> allContainers() {
        return Stream.concat(initContainers(), containers());
    }

    public Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        metadata.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return array.isArray() ? array.valueStream() : Stream.empty();
    }
}
