package io.itsm.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each service's image definition: a pinned Java 25+ base, the aot-jar in layers, an AOT cache trained in the image
 * with the manifests' collector and heap limit and mapped by the entrypoint, a numeric non-root user, and the port
 * the Deployment declares.
 */
class DockerfilesTest {

    @ParameterizedTest
    @CsvSource({"gateway, 8080", "incident-service, 8081", "change-service, 8082", "cmdb-service, 8083"})
    void definesAPinnedNonRootImageWithAnAotCache(String service, int port) throws IOException {
        Path dockerfile = Path.of("..", service, "src", "main", "docker", "Dockerfile.jvm");
        List<String> lines = joinContinuations(Files.readAllLines(dockerfile));

        String base = instruction(lines, "FROM");
        assertThat(base).as("base image").matches(".+(:[\\w.-]+|@sha256:[0-9a-f]{64})").doesNotEndWith(":latest");
        Matcher java = Pattern.compile("openjdk-(\\d+)").matcher(base);
        assertThat(java.find() && Integer.parseInt(java.group(1)) >= 25).as("a JDK that writes AOT caches: " + base).isTrue();
        assertThat(lines).as("aot-jar layers").contains(
                "COPY target/quarkus-app/lib/ /deployments/lib/",
                "COPY target/quarkus-app/*.jar /deployments/",
                "COPY target/quarkus-app/app/ /deployments/app/",
                "COPY target/quarkus-app/quarkus/ /deployments/quarkus/");
        assertThat(instruction(lines, "USER")).as("user").matches("[1-9][0-9]*");
        assertThat(instruction(lines, "EXPOSE")).isEqualTo(Integer.toString(port));
        assertThat(instruction(lines, "ENTRYPOINT")).contains("/deployments/quarkus-run.jar")
                .contains("\"-XX:AOTCache=/deployments/app.aot\"");

        String training = instruction(lines, "RUN");
        assertThat(training).as("training run: the service started, stopped once its port is open, the cache kept")
                .contains("-XX:AOTCacheOutput=/deployments/app.aot", "-jar /deployments/quarkus-run.jar",
                        "/dev/tcp/127.0.0.1/" + port, "kill -TERM", "test -s /deployments/app.aot");
        List<String> toolOptions = List.of(Files.readAllLines(Renders.KUBERNETES.resolve("base").resolve(service)
                .resolve("config.env")).stream().filter(l -> l.startsWith("JAVA_TOOL_OPTIONS="))
                .findFirst().orElseThrow().substring("JAVA_TOOL_OPTIONS=".length()).split(" "));
        assertThat(toolOptions).as("the manifests' collector and heap limit, which the cache must fit")
                .filteredOn(o -> o.startsWith("-Xmx") || o.matches("-XX:\\+Use\\w+GC"))
                .hasSize(2).allSatisfy(o -> assertThat(training.split(" ")).contains(o));

        String deployedPort = Renders.render(Renders.KUBERNETES.resolve("base")).find("Deployment", service).orElseThrow()
                .path("spec").path("template").path("spec").path("containers").path(0).path("ports").path(0)
                .path("containerPort").asText();
        assertThat(deployedPort).isEqualTo(Integer.toString(port));
    }

    /** The instructions, continuation lines joined, comments and blank lines left out. */
    private static List<String> joinContinuations(List<String> raw) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : raw) {
            String l = line.strip();
            if (l.startsWith("#") || (l.isEmpty() && current.isEmpty())) {
                continue;
            }
            boolean continued = l.endsWith("\\");
            current.append(continued ? l.substring(0, l.length() - 1).strip() : l).append(continued ? " " : "");
            if (!continued) {
                lines.add(current.toString().strip());
                current.setLength(0);
            }
        }
        return lines;
    }

    /** The argument of the last such instruction (the one that counts in the final stage). */
    private static String instruction(List<String> lines, String keyword) {
        return lines.stream().filter(l -> l.startsWith(keyword + " ")).reduce((a, b) -> b)
                .map(l -> l.substring(keyword.length() + 1).strip()).orElse("");
    }
}
