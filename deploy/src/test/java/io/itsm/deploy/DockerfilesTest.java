package io.itsm.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each service's image definition: a pinned base, the fast-jar in layers, a numeric non-root user, and the port
 * the Deployment declares.
 */
class DockerfilesTest {

    @ParameterizedTest
    @CsvSource({"gateway, 8080", "incident-service, 8081", "change-service, 8082", "cmdb-service, 8083"})
    void definesAPinnedNonRootFastJarImage(String service, int port) throws IOException {
        Path dockerfile = Path.of("..", service, "src", "main", "docker", "Dockerfile.jvm");
        List<String> lines = Files.readAllLines(dockerfile).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();

        String base = instruction(lines, "FROM");
        assertThat(base).as("base image").matches(".+(:[\\w.-]+|@sha256:[0-9a-f]{64})").doesNotEndWith(":latest");
        assertThat(lines).as("fast-jar layers").contains(
                "COPY target/quarkus-app/lib/ /deployments/lib/",
                "COPY target/quarkus-app/*.jar /deployments/",
                "COPY target/quarkus-app/app/ /deployments/app/",
                "COPY target/quarkus-app/quarkus/ /deployments/quarkus/");
        assertThat(instruction(lines, "USER")).as("user").matches("[1-9][0-9]*");
        assertThat(instruction(lines, "EXPOSE")).isEqualTo(Integer.toString(port));
        assertThat(instruction(lines, "ENTRYPOINT")).contains("/deployments/quarkus-run.jar");

        String deployedPort = Renders.render(Renders.KUBERNETES.resolve("base")).find("Deployment", service).orElseThrow()
                .path("spec").path("template").path("spec").path("containers").path(0).path("ports").path(0)
                .path("containerPort").asText();
        assertThat(deployedPort).isEqualTo(Integer.toString(port));
    }

    /** The argument of the last such instruction (the one that counts in the final stage). */
    private static String instruction(List<String> lines, String keyword) {
        return lines.stream().filter(l -> l.startsWith(keyword + " ")).reduce((a, b) -> b)
                .map(l -> l.substring(keyword.length() + 1).strip()).orElse("");
    }
}
