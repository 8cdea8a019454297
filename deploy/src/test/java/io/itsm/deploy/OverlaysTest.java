package io.itsm.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.itsm.deploy.DeploymentPolicy.Environment;

/** The CI check proper: every overlay renders offline, validates against the API types and keeps the policy. */
class OverlaysTest {

    static Stream<Arguments> overlays() {
        return Stream.of(
                arguments("dev", Environment.DEVELOPMENT),
                arguments("production", Environment.PRODUCTION),
                arguments("production-gateway-api", Environment.PRODUCTION));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void rendersObjectsAnApiServerWouldAccept(String overlay) {
        Manifest manifest = Renders.overlay(overlay);

        assertThat(manifest.ofKind("Deployment").map(Manifest::name))
                .containsExactlyInAnyOrder("gateway", "incident-service", "change-service", "cmdb-service");
        assertThat(ApiObjectValidator.validate(manifest)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void keepsTheDeploymentPolicy(String overlay, Environment environment) {
        assertThat(DeploymentPolicy.check(Renders.overlay(overlay), environment)).isEmpty();
    }

    @Test
    void everyOverlayIsChecked() throws IOException {
        try (Stream<Path> directories = Files.list(Renders.OVERLAYS)) {
            assertThat(directories.map(d -> d.getFileName().toString()))
                    .as("a new overlay must be added to overlays() above")
                    .containsExactlyInAnyOrderElementsOf(overlays().map(a -> (String) a.get()[0]).toList());
        }
    }

    /** Without its key the gateway would not start (quarkus-oidc needs a key or a provider) and the services would refuse every token. */
    @Test
    void theDevOverlayGivesEveryWorkloadTheDevelopmentIssuersKey() {
        Manifest dev = Renders.overlay("dev");
        var gateway = dev.ofKind("Deployment").filter(d -> Manifest.name(d).equals("gateway")).findFirst().orElseThrow();
        assertThat(gateway.path("spec").path("template").path("spec").path("containers").path(0).path("env").valueStream()
                .filter(e -> e.path("name").asText().equals("QUARKUS_OIDC_PUBLIC_KEY"))
                .map(e -> e.path("valueFrom").path("configMapKeyRef").path("name").asText()))
                .containsExactly("itsm-dev-issuer");
        assertThat(dev.ofKind("ConfigMap").map(Manifest::name)
                .filter(n -> n.matches("(incident|change|cmdb)-service-config.*")))
                .hasSize(3);
        dev.ofKind("ConfigMap").filter(c -> Manifest.name(c).matches("(incident|change|cmdb)-service-config.*"))
                .forEach(c -> assertThat(c.path("data").path("MP_JWT_VERIFY_PUBLICKEY_LOCATION").asText())
                        .as(Manifest.name(c)).isEqualTo("/etc/itsm/dev-issuer/public-key.pem"));
    }

    @Test
    void onlyTheGatewayIsExposed() {
        Manifest ingress = Renders.overlay("production");
        assertThat(ingress.ofKind("Ingress").flatMap(i -> i.path("spec").path("rules").valueStream())
                .flatMap(r -> r.path("http").path("paths").valueStream())
                .map(p -> p.path("backend").path("service").path("name").asText()))
                .containsOnly("gateway");
        assertThat(ingress.ofKind("HTTPRoute")).isEmpty();

        Manifest gatewayApi = Renders.overlay("production-gateway-api");
        assertThat(gatewayApi.ofKind("Ingress")).isEmpty();
        assertThat(gatewayApi.ofKind("HTTPRoute").flatMap(r -> r.path("spec").path("rules").valueStream())
                .flatMap(r -> r.path("backendRefs").valueStream())
                .map(b -> b.path("name").asText()))
                .containsOnly("gateway");

        for (String overlay : overlays().map(a -> (String) a.get()[0]).toList()) {
            assertThat(Renders.overlay(overlay).ofKind("Service").map(s -> s.path("spec").path("type").asText("ClusterIP")))
                    .as("Services of %s", overlay).containsOnly("ClusterIP");
        }
    }
}
