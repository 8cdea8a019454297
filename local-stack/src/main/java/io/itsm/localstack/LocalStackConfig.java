package io.itsm.localstack;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Where the local stack keeps its data, which ports it uses and what it starts; from the environment or a builder. */
public final class LocalStackConfig {

    public static final int DEFAULT_KAFKA_PORT = 19092;
    public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 19093;
    public static final int DEFAULT_POSTGRES_PORT = 15432;
    public static final int DEFAULT_MONGODB_PORT = 27027;
    public static final int DEFAULT_GATEWAY_PORT = 8080;
    public static final int DEFAULT_INCIDENT_PORT = 8081;
    public static final int DEFAULT_CHANGE_PORT = 8082;
    public static final int DEFAULT_CMDB_PORT = 8083;
    /**
     * G1, made to give memory back when the JVM idles: a collection after 15 s without one, which uncommits free heap
     * down to 30 % free, and freed native memory (malloc) handed back to the system every 5 s. Under load the heap
     * grows back as G1 needs it (bench/README.md, "G1 that gives idle memory back").
     */
    private static final String G1_GIVING_IDLE_MEMORY_BACK = "-XX:+UseG1GC -XX:G1PeriodicGCInterval=15000"
            + " -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:TrimNativeHeapInterval=5000";
    /**
     * The services' JVM options: an idle service holds 20-100 MB less than with the serial collector, with the same
     * CPU per request under load.
     */
    public static final String DEFAULT_JAVA_OPTS = "-Xmx256m " + G1_GIVING_IDLE_MEMORY_BACK;
    /**
     * The broker's JVM options: the pause goal Kafka's own start scripts give G1; an idle broker holds 330 MB instead
     * of 435.
     */
    public static final String DEFAULT_KAFKA_OPTS = "-Xmx512m -XX:MaxGCPauseMillis=20 " + G1_GIVING_IDLE_MEMORY_BACK;
    /**
     * The MongoDB-wire store keeps its indexes on the heap: a 100k-CI / 400k-relationship CMDB ran 256 MB out of heap,
     * after which its H2 backend closed the store. Exit on that, so the failure shows instead of a store that answers
     * every call with an error.
     */
    public static final String DEFAULT_MONGODB_OPTS = "-Xmx1g -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError";

    private final Path home;
    private final Path dataDir;
    private final int kafkaPort;
    private final int kafkaControllerPort;
    private final int postgresPort;
    private final int mongoPort;
    private final int gatewayPort;
    private final int incidentPort;
    private final int changePort;
    private final int cmdbPort;
    private final List<String> javaOpts;
    private final Path serviceJavaHome;
    private final boolean aotCache;
    private final boolean restartDied;
    private final List<String> kafkaOpts;
    private final List<String> mongodbOpts;
    private final boolean services;
    private final Path kafkaLibDir;
    private final String mongoClasspath;
    private final Duration readyTimeout;
    private final PrintStream out;

    private LocalStackConfig(Builder b) {
        this.home = b.home.toAbsolutePath().normalize();
        this.dataDir = (b.dataDir != null ? b.dataDir : home.resolve(".itsm-data")).toAbsolutePath().normalize();
        this.kafkaPort = b.kafkaPort;
        this.kafkaControllerPort = b.kafkaControllerPort;
        this.postgresPort = b.postgresPort;
        this.mongoPort = b.mongoPort;
        this.gatewayPort = b.gatewayPort;
        this.incidentPort = b.incidentPort;
        this.changePort = b.changePort;
        this.cmdbPort = b.cmdbPort;
        this.javaOpts = splitOptions(b.javaOpts);
        this.serviceJavaHome = (b.serviceJavaHome != null ? b.serviceJavaHome : Path.of(System.getProperty("java.home")))
                .toAbsolutePath().normalize();
        this.aotCache = b.aotCache;
        this.restartDied = b.restartDied;
        this.kafkaOpts = splitOptions(b.kafkaOpts);
        this.mongodbOpts = splitOptions(b.mongodbOpts);
        this.services = b.services;
        this.kafkaLibDir = (b.kafkaLibDir != null ? b.kafkaLibDir
                : home.resolve("local-stack").resolve("target").resolve("kafka-lib")).toAbsolutePath().normalize();
        this.mongoClasspath = b.mongoClasspath != null ? b.mongoClasspath : System.getProperty("java.class.path");
        this.readyTimeout = b.readyTimeout;
        this.out = b.out;
    }

    /** The configuration described by the {@code ITSM_*} environment variables, defaults for the rest. */
    public static LocalStackConfig fromEnvironment() {
        return fromEnvironment(System.getenv()).build();
    }

    /** A builder preset from the given {@code ITSM_*} variables, defaults for the rest. */
    public static Builder fromEnvironment(Map<String, String> env) {
        Builder b = builder();
        String home = env.get("ITSM_HOME");
        if (home != null && !home.isBlank()) {
            b.home(Path.of(home));
        }
        String data = env.get("ITSM_DATA_DIR");
        if (data != null && !data.isBlank()) {
            b.dataDir(Path.of(data));
        }
        b.kafkaPort = port(env, "ITSM_KAFKA_PORT", b.kafkaPort);
        b.kafkaControllerPort = port(env, "ITSM_KAFKA_CONTROLLER_PORT", b.kafkaControllerPort);
        b.postgresPort = port(env, "ITSM_POSTGRES_PORT", b.postgresPort);
        b.mongoPort = port(env, "ITSM_MONGODB_PORT", b.mongoPort);
        b.gatewayPort = port(env, "ITSM_GATEWAY_PORT", b.gatewayPort);
        b.incidentPort = port(env, "ITSM_INCIDENT_PORT", b.incidentPort);
        b.changePort = port(env, "ITSM_CHANGE_PORT", b.changePort);
        b.cmdbPort = port(env, "ITSM_CMDB_PORT", b.cmdbPort);
        if (env.get("ITSM_JAVA_OPTS") != null) {
            b.javaOpts(env.get("ITSM_JAVA_OPTS"));
        }
        String serviceJava = env.get("ITSM_SERVICE_JAVA_HOME");
        if (serviceJava != null && !serviceJava.isBlank()) {
            b.serviceJavaHome(Path.of(serviceJava));
        }
        String aot = env.get("ITSM_AOT_CACHE");
        if (aot != null && !aot.isBlank()) {
            if (!aot.equals("auto") && !aot.equals("off")) {
                throw new LocalStackException("ITSM_AOT_CACHE must be auto or off, not '" + aot + "'");
            }
            b.aotCache(aot.equals("auto"));
        }
        String restart = env.get("ITSM_RESTART");
        if (restart != null && !restart.isBlank()) {
            if (!restart.equals("on") && !restart.equals("off")) {
                throw new LocalStackException("ITSM_RESTART must be on or off, not '" + restart + "'");
            }
            b.restartDied(restart.equals("on"));
        }
        if (env.get("ITSM_MONGODB_OPTS") != null) {
            b.mongodbOpts(env.get("ITSM_MONGODB_OPTS"));
        }
        if (env.get("ITSM_KAFKA_OPTS") != null) {
            b.kafkaOpts(env.get("ITSM_KAFKA_OPTS"));
        }
        String infraOnly = env.get("ITSM_INFRA_ONLY");
        if (infraOnly != null && (infraOnly.equalsIgnoreCase("true") || infraOnly.equals("1"))) {
            b.services(false);
        }
        String timeout = env.get("ITSM_READY_TIMEOUT_SECONDS");
        if (timeout != null && !timeout.isBlank()) {
            b.readyTimeout(Duration.ofSeconds(parse("ITSM_READY_TIMEOUT_SECONDS", timeout)));
        }
        return b;
    }

    /** A builder with the default ports, the project root found from the current directory, services on. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The project root: the nearest directory, from the current one upwards, that holds both the {@code itsm}
     * script and {@code pom.xml}; the current directory if there is none.
     */
    public static Path findProjectRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("itsm")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        return start;
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        int port = parse(name, value);
        if (port < 1 || port > 65535) {
            throw new LocalStackException(name + "=" + value + " is not a TCP port (1-65535)");
        }
        return port;
    }

    private static int parse(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new LocalStackException(name + "=" + value + " is not a number");
        }
    }

    private static List<String> splitOptions(String options) {
        String trimmed = options == null ? "" : options.trim();
        return trimmed.isEmpty() ? List.of() : List.copyOf(Arrays.asList(trimmed.split("\\s+")));
    }

    public Path home() {
        return home;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logsDir() {
        return dataDir.resolve("logs");
    }

    /** Pid files of the child processes, read by {@code ./itsm stop} if the launcher itself died. */
    public Path runDir() {
        return dataDir.resolve("run");
    }

    public int kafkaPort() {
        return kafkaPort;
    }

    public int kafkaControllerPort() {
        return kafkaControllerPort;
    }

    public int postgresPort() {
        return postgresPort;
    }

    public int mongoPort() {
        return mongoPort;
    }

    public int gatewayPort() {
        return gatewayPort;
    }

    public int incidentPort() {
        return incidentPort;
    }

    public int changePort() {
        return changePort;
    }

    public int cmdbPort() {
        return cmdbPort;
    }

    /** Extra JVM options for the four services. */
    public List<String> javaOpts() {
        return javaOpts;
    }

    /** The JDK that runs the four services (ITSM_SERVICE_JAVA_HOME; default: the launcher's own). */
    public Path serviceJavaHome() {
        return serviceJavaHome;
    }

    /** {@code <serviceJavaHome>/bin/java}. */
    public String serviceJava() {
        return serviceJavaHome.resolve("bin").resolve("java").toString();
    }

    /** Whether the services use an AOT cache when their JDK has one ({@link AotCache}; ITSM_AOT_CACHE=auto|off). */
    public boolean aotCache() {
        return aotCache;
    }

    /**
     * Whether the run command starts again a process of the stack that died ({@link ComponentSupervisor};
     * ITSM_RESTART=on|off).
     */
    public boolean restartDied() {
        return restartDied;
    }

    /** JVM options for the Kafka broker. */
    public List<String> kafkaOpts() {
        return kafkaOpts;
    }

    /** JVM options for the MongoDB-wire store. */
    public List<String> mongodbOpts() {
        return mongodbOpts;
    }

    /** Whether the four services are started after the infrastructure. */
    public boolean services() {
        return services;
    }

    /** Directory with the Kafka broker's jars (filled by the build). */
    public Path kafkaLibDir() {
        return kafkaLibDir;
    }

    /** Classpath for the MongoDB-wire server's JVM: this module's classes and dependencies. */
    public String mongoClasspath() {
        return mongoClasspath;
    }

    /** How long each service may take to become ready. */
    public Duration readyTimeout() {
        return readyTimeout;
    }

    /** Where progress lines go. */
    public PrintStream out() {
        return out;
    }

    /** Builds a {@link LocalStackConfig}; tests typically call {@link #randomPorts()} and {@link #dataDir(Path)}. */
    public static final class Builder {
        private Path home = findProjectRoot();
        private Path dataDir;
        private int kafkaPort = DEFAULT_KAFKA_PORT;
        private int kafkaControllerPort = DEFAULT_KAFKA_CONTROLLER_PORT;
        private int postgresPort = DEFAULT_POSTGRES_PORT;
        private int mongoPort = DEFAULT_MONGODB_PORT;
        private int gatewayPort = DEFAULT_GATEWAY_PORT;
        private int incidentPort = DEFAULT_INCIDENT_PORT;
        private int changePort = DEFAULT_CHANGE_PORT;
        private int cmdbPort = DEFAULT_CMDB_PORT;
        private String javaOpts = DEFAULT_JAVA_OPTS;
        private Path serviceJavaHome;
        private boolean aotCache = true;
        private boolean restartDied = true;
        private String kafkaOpts = DEFAULT_KAFKA_OPTS;
        private String mongodbOpts = DEFAULT_MONGODB_OPTS;
        private boolean services = true;
        private Path kafkaLibDir;
        private String mongoClasspath;
        private Duration readyTimeout = Duration.ofSeconds(90);
        private PrintStream out = System.out;

        private Builder() {
        }

        public Builder home(Path home) {
            this.home = Objects.requireNonNull(home);
            return this;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir);
            return this;
        }

        /** Picks a distinct free port on 127.0.0.1 for every component. */
        public Builder randomPorts() {
            kafkaPort = Ports.freePort();
            kafkaControllerPort = Ports.freePort();
            postgresPort = Ports.freePort();
            mongoPort = Ports.freePort();
            gatewayPort = Ports.freePort();
            incidentPort = Ports.freePort();
            changePort = Ports.freePort();
            cmdbPort = Ports.freePort();
            return this;
        }

        public Builder kafkaPort(int port) {
            this.kafkaPort = port;
            return this;
        }

        public Builder kafkaControllerPort(int port) {
            this.kafkaControllerPort = port;
            return this;
        }

        public Builder postgresPort(int port) {
            this.postgresPort = port;
            return this;
        }

        public Builder mongoPort(int port) {
            this.mongoPort = port;
            return this;
        }

        public Builder gatewayPort(int port) {
            this.gatewayPort = port;
            return this;
        }

        public Builder incidentPort(int port) {
            this.incidentPort = port;
            return this;
        }

        public Builder changePort(int port) {
            this.changePort = port;
            return this;
        }

        public Builder cmdbPort(int port) {
            this.cmdbPort = port;
            return this;
        }

        /** Extra JVM options for the services, separated by spaces (no quoting). */
        public Builder javaOpts(String options) {
            this.javaOpts = options;
            return this;
        }

        /** The JDK that runs the services (default: the launcher's own). */
        public Builder serviceJavaHome(Path javaHome) {
            this.serviceJavaHome = Objects.requireNonNull(javaHome);
            return this;
        }

        /** {@code false}: the services never use an AOT cache, nor train one. */
        public Builder aotCache(boolean enabled) {
            this.aotCache = enabled;
            return this;
        }

        /** {@code false}: the run command only reports a process that died, without starting it again. */
        public Builder restartDied(boolean enabled) {
            this.restartDied = enabled;
            return this;
        }

        /** JVM options for the Kafka broker, separated by spaces (no quoting). */
        public Builder kafkaOpts(String options) {
            this.kafkaOpts = options;
            return this;
        }

        /** JVM options for the MongoDB-wire store, separated by spaces (no quoting). */
        public Builder mongodbOpts(String options) {
            this.mongodbOpts = options;
            return this;
        }

        /** {@code false} starts the infrastructure only (Kafka, PostgreSQL, MongoDB-wire store, topics). */
        public Builder services(boolean services) {
            this.services = services;
            return this;
        }

        public Builder kafkaLibDir(Path dir) {
            this.kafkaLibDir = dir;
            return this;
        }

        public Builder mongoClasspath(String classpath) {
            this.mongoClasspath = classpath;
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Where progress lines go; {@link #quiet()} discards them. */
        public Builder out(PrintStream out) {
            this.out = Objects.requireNonNull(out);
            return this;
        }

        public Builder quiet() {
            this.out = new PrintStream(OutputStream.nullOutputStream());
            return this;
        }

        public LocalStackConfig build() {
            return new LocalStackConfig(this);
        }
    }
}
