package io.itsm.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AotCacheTest {

    private static final List<String> OPTS = List.of("-Xmx256m", "-XX:+UseSerialGC");

    @TempDir
    Path dir;

    private Path jdk17;
    private Path jdk25;
    private Path jar;

    @BeforeEach
    void setUp() throws Exception {
        jdk17 = jdk("jdk17", "JAVA_VERSION=\"17.0.15\"\nIMPLEMENTOR=\"Debian\"\n");
        jdk25 = jdk("jdk25", "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\n");
        jar = Files.createDirectories(dir.resolve("quarkus-app")).resolve("quarkus-run.jar");
        Files.writeString(jar, "jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2026-12-01T10:00:00Z")));
    }

    private Path jdk(String name, String release) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        Files.writeString(home.resolve("release"), release);
        return home;
    }

    @Test
    void readsTheFeatureVersionFromTheJdksReleaseFile() {
        assertThat(AotCache.javaFeatureVersion(jdk17)).contains(17);
        assertThat(AotCache.javaFeatureVersion(jdk25)).contains(25);
        assertThat(AotCache.javaFeatureVersion(dir.resolve("no-such-jdk"))).isEmpty();
    }

    @Test
    void aJdkOlderThan25UsesNoCache() {
        AotCache cache = AotCache.forStart(jdk17, jar, OPTS, true);
        assertThat(cache.use()).isEqualTo(AotCache.Use.NONE);
        assertThat(cache.jvmOptions()).isEmpty();
        assertThat(cache.describe()).isEmpty();
    }

    @Test
    void aJdkWithoutAReleaseFileUsesNoCache() {
        assertThat(AotCache.forStart(dir.resolve("unknown"), jar, OPTS, true).use()).isEqualTo(AotCache.Use.NONE);
    }

    @Test
    void switchedOffUsesNoCacheEvenOnJava25() {
        assertThat(AotCache.forStart(jdk25, jar, OPTS, false).jvmOptions()).isEmpty();
    }

    @Test
    void withoutACacheTheStartIsATrainingRunThatWritesOneBesideTheJar() {
        AotCache cache = AotCache.forStart(jdk25, jar, OPTS, true);
        assertThat(cache.use()).isEqualTo(AotCache.Use.TRAIN);
        assertThat(cache.file().getParent()).isEqualTo(jar.getParent());
        assertThat(cache.file().getFileName().toString()).matches("app-[0-9a-f]{8}\\.aot");
        assertThat(cache.jvmOptions()).singleElement().asString()
                .startsWith("-XX:AOTCacheOutput=" + cache.file() + ".").endsWith(".tmp");
    }

    /** The file a training run writes to: what its -XX:AOTCacheOutput names. */
    private static Path output(AotCache training) {
        return Path.of(training.jvmOptions().get(0).substring("-XX:AOTCacheOutput=".length()));
    }

    @Test
    void aTrainingRunsCacheBecomesCurrentOnlyAfterANormalExit() throws Exception {
        AotCache killed = AotCache.forStart(jdk25, jar, OPTS, true);
        Files.writeString(output(killed), "torn");
        assertThat(killed.publish(137)).isFalse();
        assertThat(output(killed)).doesNotExist();
        assertThat(killed.file()).doesNotExist();

        AotCache wroteNothing = AotCache.forStart(jdk25, jar, OPTS, true);
        assertThat(wroteNothing.publish(143)).isFalse();
        assertThat(wroteNothing.file()).doesNotExist();

        for (int exit : new int[] {0, 143}) {
            Files.deleteIfExists(wroteNothing.file());
            AotCache stopped = AotCache.forStart(jdk25, jar, OPTS, true);
            Files.writeString(output(stopped), "cache");
            assertThat(stopped.publish(exit)).isTrue();
            assertThat(output(stopped)).doesNotExist();
            assertThat(stopped.file()).hasContent("cache");
            assertThat(AotCache.forStart(jdk25, jar, OPTS, true).use()).isEqualTo(AotCache.Use.MAP);
        }
    }

    @Test
    void twoTrainingRunsWriteFilesOfTheirOwnAndAnAbandonedOneIsRemovedLater() throws Exception {
        AotCache first = AotCache.forStart(jdk25, jar, OPTS, true);
        AotCache second = AotCache.forStart(jdk25, jar, OPTS, true);
        assertThat(output(first)).isNotEqualTo(output(second));

        Files.writeString(output(first), "abandoned by a killed launcher");
        Files.setLastModifiedTime(output(first), FileTime.from(Instant.now().minusSeconds(11 * 60)));
        Files.writeString(output(second), "being written right now");
        AotCache.forStart(jdk25, jar, OPTS, true);
        assertThat(output(first)).doesNotExist();
        assertThat(output(second)).exists();
    }

    /** Writes the cache file a training run on jdk25 would write, with the given modification time. */
    private Path cacheWrittenAt(String time) throws Exception {
        Path file = AotCache.forStart(jdk25, jar, OPTS, true).file();
        Files.writeString(file, "cache");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse(time)));
        return file;
    }

    @Test
    void aCacheNewerThanTheJarIsMapped() throws Exception {
        Path file = cacheWrittenAt("2026-12-01T10:05:00Z");

        AotCache cache = AotCache.forStart(jdk25, jar, OPTS, true);
        assertThat(cache.use()).isEqualTo(AotCache.Use.MAP);
        assertThat(cache.jvmOptions()).containsExactly("-XX:AOTCache=" + file);
        assertThat(file).exists();
    }

    @Test
    void aCacheOlderThanTheJarIsFromAnotherBuildDeletedAndTrainedAgain() throws Exception {
        Path file = cacheWrittenAt("2026-12-01T09:00:00Z"); // before the jar: the previous build's

        AotCache cache = AotCache.forStart(jdk25, jar, OPTS, true);
        assertThat(cache.use()).isEqualTo(AotCache.Use.TRAIN);
        assertThat(file).doesNotExist();
    }

    @Test
    void otherJvmOptionsOrAnotherJdkGetACacheOfTheirOwn() throws Exception {
        Path file = AotCache.forStart(jdk25, jar, OPTS, true).file();
        Path otherOptions = AotCache.forStart(jdk25, jar, List.of("-Xmx512m", "-XX:+UseSerialGC"), true).file();
        Path otherJdk = AotCache.forStart(jdk("jdk26", "JAVA_VERSION=\"26\"\n"), jar, OPTS, true).file();
        assertThat(List.of(otherOptions, otherJdk)).doesNotContain(file);
        assertThat(otherOptions).isNotEqualTo(otherJdk);
        assertThat(AotCache.forStart(jdk25, jar, OPTS, true).file()).isEqualTo(file);
    }

    @Test
    void theEnvironmentChoosesTheServicesJdkAndSwitchesTheCacheOff() {
        LocalStackConfig defaults = LocalStackConfig.fromEnvironment(Map.of()).build();
        assertThat(defaults.serviceJavaHome()).isEqualTo(Path.of(System.getProperty("java.home")).toAbsolutePath()
                .normalize());
        assertThat(defaults.aotCache()).isTrue();

        LocalStackConfig chosen = LocalStackConfig.fromEnvironment(
                Map.of("ITSM_SERVICE_JAVA_HOME", jdk25.toString(), "ITSM_AOT_CACHE", "off")).build();
        assertThat(chosen.serviceJavaHome()).isEqualTo(jdk25);
        assertThat(chosen.serviceJava()).isEqualTo(jdk25.resolve("bin").resolve("java").toString());
        assertThat(chosen.aotCache()).isFalse();

        assertThat(LocalStackConfig.fromEnvironment(Map.of("ITSM_AOT_CACHE", "auto")).build().aotCache()).isTrue();
        assertThatThrownBy(() -> LocalStackConfig.fromEnvironment(Map.of("ITSM_AOT_CACHE", "yes")))
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("ITSM_AOT_CACHE must be auto or off");
    }

    /**
     * The options {@link AotCache} gives, on a real JDK: a training run writes the cache at exit, and the next run
     * maps it ({@code -XX:AOTMode=on} fails the JVM if it cannot). On a machine without a JDK >= 25 it checks
     * instead that the running JDK gets no options.
     */
    @Test
    void aRealJdkTrainsTheCacheAtExitAndTheNextRunMapsIt() throws Exception {
        Path app = Files.createDirectories(dir.resolve("app")).resolve("quarkus-run.jar");
        writeTraineeJar(app);
        Optional<Path> jdk = installedJdk(AotCache.MIN_JAVA);
        if (jdk.isEmpty()) {
            Path running = Path.of(System.getProperty("java.home"));
            assertThat(AotCache.javaFeatureVersion(running).orElse(0)).isLessThan(AotCache.MIN_JAVA);
            assertThat(AotCache.forStart(running, app, OPTS, true).jvmOptions()).isEmpty();
            return;
        }
        AotCache training = AotCache.forStart(jdk.get(), app, OPTS, true);
        assertThat(training.use()).isEqualTo(AotCache.Use.TRAIN);
        assertThat(run(jdk.get(), training.jvmOptions(), app)).contains("trained a,b");
        assertThat(output(training)).isRegularFile();
        assertThat(training.publish(0)).isTrue();
        assertThat(training.file()).isRegularFile();

        AotCache mapped = AotCache.forStart(jdk.get(), app, OPTS, true);
        assertThat(mapped.use()).isEqualTo(AotCache.Use.MAP);
        List<String> strict = new ArrayList<>(mapped.jvmOptions());
        strict.add("-XX:AOTMode=on");
        assertThat(run(jdk.get(), strict, app)).contains("trained a,b");
    }

    /** JAVA_HOME or a JDK under /usr/lib/jvm whose feature version is at least {@code min}, the newest first. */
    private static Optional<Path> installedJdk(int min) throws Exception {
        List<Path> candidates = new ArrayList<>();
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            candidates.add(Path.of(javaHome));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> homes = Files.list(jvms)) {
                homes.forEach(candidates::add);
            }
        }
        return candidates.stream()
                .filter(home -> Files.isExecutable(home.resolve("bin").resolve("java")))
                .filter(home -> AotCache.javaFeatureVersion(home).orElse(0) >= min)
                .max(Comparator.comparing(home -> AotCache.javaFeatureVersion(home).orElse(0)));
    }

    private static void writeTraineeJar(Path jar) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, AotCacheTrainee.class.getName());
        String entry = AotCacheTrainee.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                var in = AotCacheTrainee.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
    }

    /** Runs {@code java OPTIONS -jar JAR} and returns its output; fails unless it exits 0 within a minute. */
    private static String run(Path jdk, List<String> options, Path jar) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(jdk.resolve("bin").resolve("java").toString());
        command.addAll(options);
        command.add("-jar");
        command.add(jar.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close(); // no input
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited: " + command).isTrue();
        assertThat(process.exitValue()).as(command + " said:%n%s", output).isZero();
        return output;
    }
}
