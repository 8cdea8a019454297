package io.itsm.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.itsm.deploy.DeploymentPolicy.Environment;

/**
 * The check fails on deliberately broken manifests, and names exactly what is broken: each fixture under
 * src/test/resources/broken/ renders the real base or production overlay with one kind of damage.
 */
class BrokenManifestsTest {

    @Test
    void containerWithoutLimits() {
        assertThat(violations("missing-limits", Environment.DEVELOPMENT)).containsExactly(
                "resources Deployment/cmdb-service: container cmdb-service has no limits.cpu, limits.memory");
    }

    @Test
    void latestOrUntaggedImages() {
        assertThat(violations("latest-image", Environment.DEVELOPMENT)).containsExactlyInAnyOrder(
                "image-tag Deployment/gateway: container gateway runs itsm/gateway:latest: pin a release tag or a digest",
                "image-tag Deployment/change-service: container change-service runs the untagged image "
                        + "registry.example.com:5000/itsm/change-service");
    }

    @Test
    void secretWithCommittedValues() {
        assertThat(violations("secret-with-data", Environment.DEVELOPMENT)).containsExactlyInAnyOrder(
                "secret-data Secret/incident-db-app: has values committed: reference a Secret that ops create "
                        + "(or External Secrets), see deploy/README.md",
                "secret-data Secret/cmdb-mongodb-cmdb-service-password: has values committed: reference a Secret "
                        + "that ops create (or External Secrets), see deploy/README.md");
    }

    @Test
    void insecureContainer() {
        assertThat(violations("insecure-container", Environment.DEVELOPMENT)).containsExactlyInAnyOrder(
                "non-root Deployment/incident-service: container incident-service may run as root: set "
                        + "runAsNonRoot: true and a non-zero runAsUser",
                "read-only-root-filesystem Deployment/incident-service: container incident-service has a writable "
                        + "root filesystem",
                "probes Deployment/gateway: container gateway has no startupProbe on /q/health/started",
                "probes Deployment/gateway: container gateway has no livenessProbe on /q/health/live "
                        + "(it asks /q/health/ready)");
    }

    @Test
    void productionWithoutCoverage() {
        assertThat(violations("production-uncovered", Environment.PRODUCTION)).containsExactlyInAnyOrder(
                "network-policy NetworkPolicy/default-deny: missing: a policy with an empty podSelector, "
                        + "policyTypes Ingress and Egress and no rules",
                "network-policy Deployment/change-service: no NetworkPolicy selects its pods for both ingress and egress",
                "pod-disruption-budget Deployment/gateway: no PodDisruptionBudget selects its pods",
                "autoscaling Deployment/cmdb-service: no HorizontalPodAutoscaler targets it");
    }

    @Test
    void fieldsTheApiServerWouldReject() {
        assertThat(violations("invalid-fields", Environment.DEVELOPMENT)).containsExactlyInAnyOrder(
                "schema Deployment/incident-service: unknown field spec.template.spec.containers[0].imagePullPolice",
                "schema Deployment/gateway: at spec.revisionHistoryLimit: Cannot coerce String value (\"10\") to "
                        + "`java.lang.Integer` value (but might if coercion using `CoercionConfig` was enabled)",
                "reference Service/change-service: targetPort web is not a container port of its pods");
    }

    /** Everything the check reports for a fixture: validation first, then the policy. */
    private static List<String> violations(String fixture, Environment environment) {
        Manifest manifest = Renders.render(Renders.BROKEN.resolve(fixture));
        return Stream.concat(ApiObjectValidator.validate(manifest).stream(),
                DeploymentPolicy.check(manifest, environment).stream()).map(Violation::toString).toList();
    }
}
