package io.itsm.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The JDK's ahead-of-time cache for one service (JEP 483/514/515, Java 25 and later): the classes the service
 * loaded and linked, and the method profiles, of an earlier run, mapped at start instead of loading, linking and
 * profiling again. Kept beside the service's jar as {@code app-<key>.aot}, where the key is a hash of the JDK's
 * version and the JVM options: a cache only fits the JVM and options it was trained with.
 *
 * <p>A run without a cache is a training run: the JVM records what it does and writes the cache when the service
 * stops (a SIGTERM, not a kill), which takes a while. It writes to a file of its own, which {@link #publish(int)}
 * renames to the cache once the service has exited normally, so that two stacks training at the same time, or a
 * kill during the write, never leave a torn cache. The next start maps it. A cache older than the jar was built
 * for another build and is deleted (the JVM would refuse it anyway, and train nothing). The services are packaged
 * as Quarkus {@code aot-jar}, so their classes come from the JDK's class path loader, which the cache covers.
 */
public final class AotCache {

    /** The first Java release whose JVM writes the cache in the same run ({@code -XX:AOTCacheOutput}). */
    public static final int MIN_JAVA = 25;

    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    /** What a start does with the cache. */
    public enum Use {
        /** Not used: switched off, or a JVM older than {@link #MIN_JAVA}. */
        NONE,
        /** No (current) cache yet: this run records one, written when the service stops. */
        TRAIN,
        /** The cache of an earlier run is mapped. */
        MAP
    }

    /** A training run's file, left by a launcher that was killed while its service wrote it, is removed after this. */
    private static final Duration ABANDONED_OUTPUT_AGE = Duration.ofMinutes(10);

    private final Path file;
    private final Use use;
    private final Path output;

    private AotCache(Path file, Use use) {
        this.file = file;
        this.use = use;
        this.output = use == Use.TRAIN ? file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid()
                + "-" + System.nanoTime() + ".tmp") : null;
    }

    /**
     * Decides for one start of the service whose jar is {@code jar}, run by the JDK in {@code javaHome}; deletes
     * a cache left by an older build of the jar.
     */
    public static AotCache forStart(Path javaHome, Path jar, List<String> jvmOptions, boolean enabled) {
        String release = readRelease(javaHome);
        Path file = jar.resolveSibling("app-" + key(release, jvmOptions) + ".aot");
        if (!enabled || featureVersion(release).orElse(0) < MIN_JAVA) {
            return new AotCache(file, Use.NONE);
        }
        try {
            if (Files.isRegularFile(file)
                    && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(jar)) >= 0) {
                return new AotCache(file, Use.MAP);
            }
            Files.deleteIfExists(file);
            deleteAbandonedOutputs(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or delete " + file, e);
        }
        return new AotCache(file, Use.TRAIN);
    }

    private static void deleteAbandonedOutputs(Path file) throws IOException {
        String prefix = file.getFileName() + ".";
        FileTime before = FileTime.from(Instant.now().minus(ABANDONED_OUTPUT_AGE));
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            for (Path p : (Iterable<Path>) siblings::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(prefix) && name.endsWith(".tmp")
                        && Files.getLastModifiedTime(p).compareTo(before) < 0) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * After a training run's service has exited: its cache becomes the one later starts map if it exited normally
     * (0, or 143 after SIGTERM) and wrote one; otherwise what it wrote is deleted. Returns whether there is a cache now.
     */
    public boolean publish(int exitCode) {
        if (use != Use.TRAIN) {
            return use == Use.MAP;
        }
        try {
            if (Files.isRegularFile(output) && (exitCode == 0 || exitCode == 143)) {
                Files.move(output, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return true;
            }
            Files.deleteIfExists(output);
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + output + " to " + file, e);
        }
    }

    /**
     * The feature version ({@code 17}, {@code 25}) of the JDK in {@code javaHome}, from its {@code release} file;
     * empty when that cannot be read.
     */
    public static Optional<Integer> javaFeatureVersion(Path javaHome) {
        return featureVersion(readRelease(javaHome));
    }

    private static Optional<Integer> featureVersion(String release) {
        Matcher m = JAVA_VERSION.matcher(release);
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    private static String readRelease(Path javaHome) {
        try {
            return Files.readString(javaHome.resolve("release"));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Eight hex digits of a hash of the JDK's release file and the options. */
    private static String key(String release, List<String> jvmOptions) {
        return String.format("%08x", (release + "\n" + String.join(" ", jvmOptions)).hashCode());
    }

    public Use use() {
        return use;
    }

    public Path file() {
        return file;
    }

    /** The JVM options for this start. */
    public List<String> jvmOptions() {
        return switch (use) {
            case NONE -> List.of();
            case TRAIN -> List.of("-XX:AOTCacheOutput=" + output);
            case MAP -> List.of("-XX:AOTCache=" + file);
        };
    }

    /** A few words for the launcher's progress line. */
    public String describe() {
        return switch (use) {
            case NONE -> "";
            case TRAIN -> "training run: the AOT cache is written when it stops";
            case MAP -> "AOT cache";
        };
    }
}
