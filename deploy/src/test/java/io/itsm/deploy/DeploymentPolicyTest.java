package io.itsm.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.itsm.deploy.DeploymentPolicy.Environment;

/** Image references: which count as pinned. */
class DeploymentPolicyTest {

    @ParameterizedTest
    @CsvSource({
            "example/web:1.0, true",
            "registry.example.com:5000/team/web:1.0.3, true",
            "example/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, true",
            "example/web:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, true",
            "example/web:latest, false",
            "example/web, false",
            "registry.example.com:5000/team/web, false"})
    void imagesMustBePinned(String image, boolean pinned) {
        List<Violation> violations = DeploymentPolicy.check(Manifest.parse("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                spec:
                  containers:
                    - name: web
                      image: %s
                """.formatted(image)), Environment.DEVELOPMENT);

        assertThat(violations.stream().anyMatch(v -> v.rule().equals("image-tag"))).isEqualTo(!pinned);
    }
}
