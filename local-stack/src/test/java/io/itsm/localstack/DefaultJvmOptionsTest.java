package io.itsm.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The default JVM options of the services and of the Kafka broker name flags that not every JDK has
 * ({@code TrimNativeHeapInterval} came with 17.0.9 and 22): a JDK that does not know one refuses to start, and the
 * stack with it. So every JDK the launcher may pick (the one running the tests, and any JDK 17 or later installed
 * beside it) must accept them, and the MongoDB-wire store's too.
 */
class DefaultJvmOptionsTest {

    @Test
    void everyInstalledJdkAcceptsTheDefaultOptions() throws Exception {
        LocalStackConfig config = LocalStackConfig.fromEnvironment(java.util.Map.of()).build();
        assertThat(config.javaOpts()).contains("-XX:+UseG1GC", "-XX:TrimNativeHeapInterval=5000");
        assertThat(config.kafkaOpts()).contains("-XX:+UseG1GC", "-XX:TrimNativeHeapInterval=5000");

        Set<Path> jdks = new LinkedHashSet<>();
        jdks.add(Path.of(System.getProperty("java.home")).toRealPath());
        jdks.addAll(installedJdks());
        for (Path jdk : jdks) {
            for (List<String> opts : List.of(config.javaOpts(), config.kafkaOpts(), config.mongodbOpts())) {
                assertStarts(jdk, opts);
            }
        }
    }

    private static void assertStarts(Path jdk, List<String> opts) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(jdk.resolve("bin/java").toString());
        command.addAll(opts);
        command.add("-version");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s -version ended", jdk).isTrue();
        assertThat(p.exitValue()).as("%s with %s:%n%s", jdk, opts, output).isZero();
    }

    /**
     * JDKs of Java 17 or later under the directory the launcher searches, with a java executable; each once, however
     * many links name it ({@code default-java}, {@code java-1.17.0-openjdk-amd64} ...).
     */
    private static Set<Path> installedJdks() throws IOException {
        Path dir = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> Files.isExecutable(p.resolve("bin/java")))
                    .filter(p -> AotCache.javaFeatureVersion(p).orElse(0) >= 17)
                    .map(DefaultJvmOptionsTest::realPath)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
        }
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
