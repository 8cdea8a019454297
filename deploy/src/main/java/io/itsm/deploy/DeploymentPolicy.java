package io.itsm.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The rules every rendered overlay must keep: sized, probed, unprivileged containers from pinned images and no
 * committed secret values; in production also a NetworkPolicy, a PodDisruptionBudget and an autoscaler for every
 * Deployment. Each broken rule is one {@link Violation}.
 */
public final class DeploymentPolicy {

    /** Which rules apply: production adds the coverage rules. */
    public enum Environment {
        DEVELOPMENT, PRODUCTION
    }

    /** The SmallRye Health endpoint each probe must ask. */
    private static final Map<String, String> PROBES = Map.of(
            "startupProbe", "/q/health/started",
            "readinessProbe", "/q/health/ready",
            "livenessProbe", "/q/health/live");

    private final Manifest manifest;
    private final List<Violation> violations = new ArrayList<>();

    private DeploymentPolicy(Manifest manifest) {
        this.manifest = manifest;
    }

    public static List<Violation> check(Manifest manifest, Environment environment) {
        DeploymentPolicy policy = new DeploymentPolicy(manifest);
        for (ObjectNode object : manifest.objects()) {
            PodTemplate.of(object).ifPresent(policy::checkPodTemplate);
            if (Manifest.kind(object).equals("Secret")) {
                policy.checkSecret(object);
            }
        }
        if (environment == Environment.PRODUCTION) {
            policy.checkDefaultDeny();
            manifest.ofKind("Deployment").forEach(policy::checkCoverage);
        }
        return List.copyOf(policy.violations);
    }

    private void checkPodTemplate(PodTemplate pod) {
        String subject = Manifest.subject(pod.owner());
        JsonNode podSecurity = pod.spec().path("securityContext");
        pod.allContainers().forEach(container -> {
            String name = "container " + container.path("name").asText();
            checkResources(subject, name, container);
            checkImage(subject, name, container);
            checkSecurityContext(subject, name, podSecurity, container.path("securityContext"));
        });
        if (pod.longRunning()) {
            pod.containers().forEach(container -> checkProbes(subject, container));
        }
    }

    private void checkResources(String subject, String container, JsonNode spec) {
        List<String> missing = Stream.of("requests.cpu", "requests.memory", "limits.cpu", "limits.memory")
                .filter(field -> {
                    String[] path = field.split("\\.");
                    return spec.path("resources").path(path[0]).path(path[1]).asText().isEmpty();
                })
                .toList();
        if (!missing.isEmpty()) {
            add("resources", subject, container + " has no " + String.join(", ", missing));
        }
    }

    private void checkProbes(String subject, JsonNode container) {
        PROBES.forEach((probe, path) -> {
            String actual = container.path(probe).path("httpGet").path("path").asText();
            if (!actual.equals(path)) {
                add("probes", subject, "container " + container.path("name").asText() + " has no " + probe
                        + " on " + path + (actual.isEmpty() ? "" : " (it asks " + actual + ")"));
            }
        });
    }

    private void checkImage(String subject, String container, JsonNode spec) {
        String image = spec.path("image").asText();
        if (image.contains("@sha256:")) {
            return;
        }
        String lastSegment = image.substring(image.lastIndexOf('/') + 1);
        int colon = lastSegment.indexOf(':');
        if (colon < 0) {
            add("image-tag", subject, container + " runs the untagged image " + image);
        } else if (lastSegment.substring(colon + 1).equals("latest")) {
            add("image-tag", subject, container + " runs " + image + ": pin a release tag or a digest");
        }
    }

    /** The container's securityContext wins over the pod's for the fields both have. */
    private void checkSecurityContext(String subject, String container, JsonNode pod, JsonNode own) {
        boolean nonRoot = own.path("runAsNonRoot").asBoolean(pod.path("runAsNonRoot").asBoolean(false));
        long user = own.path("runAsUser").asLong(pod.path("runAsUser").asLong(-1));
        if (!nonRoot || user == 0) {
            add("non-root", subject, container + " may run as root: set runAsNonRoot: true and a non-zero runAsUser");
        }
        if (!own.path("readOnlyRootFilesystem").asBoolean(false)) {
            add("read-only-root-filesystem", subject, container + " has a writable root filesystem");
        }
        List<String> missing = new ArrayList<>();
        if (own.path("allowPrivilegeEscalation").asBoolean(true)) {
            missing.add("allowPrivilegeEscalation: false");
        }
        boolean dropsAll = false;
        for (JsonNode capability : own.path("capabilities").path("drop")) {
            dropsAll |= capability.asText().equals("ALL");
        }
        if (!dropsAll) {
            missing.add("capabilities.drop: [ALL]");
        }
        String seccomp = own.path("seccompProfile").path("type").asText(pod.path("seccompProfile").path("type").asText());
        if (!seccomp.equals("RuntimeDefault") && !seccomp.equals("Localhost")) {
            missing.add("seccompProfile RuntimeDefault");
        }
        if (!missing.isEmpty()) {
            add("privileges", subject, container + " lacks " + String.join(", ", missing));
        }
    }

    private void checkSecret(ObjectNode secret) {
        if (!secret.path("data").isEmpty() || !secret.path("stringData").isEmpty()) {
            add("secret-data", Manifest.subject(secret), "has values committed: reference a Secret that ops create "
                    + "(or External Secrets), see deploy/README.md");
        }
    }

    private void checkDefaultDeny() {
        boolean present = manifest.ofKind("NetworkPolicy").anyMatch(policy -> {
            JsonNode spec = policy.path("spec");
            return LabelSelector.isEmpty(spec.path("podSelector")) && declaresBothDirections(spec)
                    && spec.path("ingress").isEmpty() && spec.path("egress").isEmpty();
        });
        if (!present) {
            add("network-policy", "NetworkPolicy/default-deny", "missing: a policy with an empty podSelector, "
                    + "policyTypes Ingress and Egress and no rules");
        }
    }

    /**
     * Every Deployment needs its own NetworkPolicy (not only the default deny) describing both directions, a
     * PodDisruptionBudget and an autoscaler.
     */
    private void checkCoverage(ObjectNode deployment) {
        String subject = Manifest.subject(deployment);
        Map<String, String> labels = PodTemplate.of(deployment).orElseThrow().labels();
        boolean ownPolicy = manifest.ofKind("NetworkPolicy").anyMatch(policy -> {
            JsonNode selector = policy.path("spec").path("podSelector");
            return !LabelSelector.isEmpty(selector) && LabelSelector.matches(selector, labels)
                    && declaresBothDirections(policy.path("spec"));
        });
        if (!ownPolicy) {
            add("network-policy", subject, "no NetworkPolicy selects its pods for both ingress and egress");
        }
        boolean budget = manifest.ofKind("PodDisruptionBudget")
                .anyMatch(pdb -> LabelSelector.matches(pdb.path("spec").path("selector"), labels)
                        && !LabelSelector.isEmpty(pdb.path("spec").path("selector")));
        if (!budget) {
            add("pod-disruption-budget", subject, "no PodDisruptionBudget selects its pods");
        }
        boolean autoscaled = manifest.ofKind("HorizontalPodAutoscaler").anyMatch(hpa -> {
            JsonNode target = hpa.path("spec").path("scaleTargetRef");
            return target.path("kind").asText().equals("Deployment")
                    && target.path("name").asText().equals(Manifest.name(deployment));
        });
        if (!autoscaled) {
            add("autoscaling", subject, "no HorizontalPodAutoscaler targets it");
        }
    }

    private static boolean declaresBothDirections(JsonNode networkPolicySpec) {
        List<String> types = new ArrayList<>();
        networkPolicySpec.path("policyTypes").forEach(t -> types.add(t.asText()));
        return types.contains("Ingress") && types.contains("Egress");
    }

    private void add(String rule, String subject, String message) {
        violations.add(new Violation(rule, subject, message));
    }
}
