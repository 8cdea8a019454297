package io.itsm.gateway.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real Keycloak for the OIDC test: the distribution the build unpacked into {@code target/keycloak}, started in dev
 * mode on a random port with {@code keycloak/itsm-realm.json} imported, and stopped (with its children) afterwards.
 * Keycloak needs Java 21 or newer: this JVM's if it is, else the newest JDK under {@code /usr/lib/jvm}.
 * Points the gateway's quarkus-oidc at the realm.
 */
public class KeycloakResource implements QuarkusTestResourceLifecycleManager {

    static final String REALM = "itsm";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    private static String realmUrl;
    private Process process;

    /** The realm's URL, e.g. {@code http://127.0.0.1:41234/realms/itsm}. */
    static String realmUrl() {
        return realmUrl;
    }

    @Override
    public Map<String, String> start() {
        Path home = Path.of(System.getProperty("itsm.keycloak.home", "target/keycloak")).toAbsolutePath();
        Path launcher = home.resolve("bin/kc.sh");
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException("no Keycloak at " + home + ": the build unpacks it (maven-dependency-plugin, "
                    + "process-test-resources); run the tests through Maven");
        }
        try {
            Path imports = Files.createDirectories(home.resolve("data/import"));
            try (InputStream realm = KeycloakResource.class.getResourceAsStream("/keycloak/itsm-realm.json")) {
                Files.copy(realm, imports.resolve("itsm-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            }
            int port = freePort();
            Path log = home.resolve("keycloak.log");
            ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "start-dev", "--http-port=" + port,
                    "--http-host=127.0.0.1", "--import-realm", "--health-enabled=false", "--metrics-enabled=false")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("JAVA_HOME", javaHome21());
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "test-admin");
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", "test-only-admin-password");
            builder.environment().put("JAVA_OPTS_APPEND", "-Xmx512m");
            process = builder.start();
            realmUrl = "http://127.0.0.1:" + port + "/realms/" + REALM;
            awaitRealm(log);
            return Map.of("quarkus.oidc.auth-server-url", realmUrl,
                    "quarkus.oidc.token.issuer", realmUrl,
                    "quarkus.oidc.token.audience", "itsm");
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException(e);
        }
    }

    private void awaitRealm(Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest discovery = HttpRequest.newBuilder(URI.create(realmUrl + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            Awaitility.await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Keycloak stopped while starting:\n" + tail(log));
                }
                try {
                    return http.send(discovery, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException notYet) {
                    return false; // not listening yet
                }
            });
        } catch (ConditionTimeoutException e) {
            stop();
            throw new IllegalStateException("Keycloak did not serve its realm within " + START_TIMEOUT.toSeconds()
                    + " s:\n" + tail(log), e);
        }
    }

    @Override
    public void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
            }
        }
        process = null;
    }

    /** A JDK of at least version 21: this JVM's, else the newest under /usr/lib/jvm. */
    private static String javaHome21() throws IOException {
        if (Runtime.version().feature() >= 21) {
            return System.getProperty("java.home");
        }
        String best = null;
        int bestVersion = 0;
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            for (Path jdk : jdks.toList()) {
                Path release = jdk.resolve("release");
                if (!Files.isExecutable(jdk.resolve("bin/java")) || !Files.exists(release)) {
                    continue;
                }
                String version = Files.readAllLines(release).stream().filter(l -> l.startsWith("JAVA_VERSION="))
                        .findFirst().orElse("JAVA_VERSION=\"0\"").replaceAll("[^0-9.]", "");
                int feature = Integer.parseInt(version.split("\\.")[0].isEmpty() ? "0" : version.split("\\.")[0]);
                if (feature >= 21 && feature > bestVersion) {
                    best = jdk.toString();
                    bestVersion = feature;
                }
            }
        }
        if (best == null) {
            throw new IllegalStateException("Keycloak needs Java 21 or newer; none found (this JVM is "
                    + Runtime.version() + ", nothing under /usr/lib/jvm)");
        }
        return best;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
