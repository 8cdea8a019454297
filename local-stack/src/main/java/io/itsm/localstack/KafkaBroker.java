package io.itsm.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/** A real Apache Kafka broker in KRaft combined mode (broker + controller), run as a child JVM. */
public final class KafkaBroker extends ChildProcessComponent {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final LocalStackConfig config;
    private final BooleanSupplier cancelled;
    private final Path dir;
    private final Path logDir;
    private final Path logFile;
    private boolean logStarted;

    KafkaBroker(LocalStackConfig config, BooleanSupplier cancelled) {
        this.config = config;
        this.cancelled = cancelled;
        this.dir = config.dataDir().resolve("kafka");
        this.logDir = dir.resolve("data");
        this.logFile = config.logsDir().resolve("kafka.log");
    }

    @Override
    public String name() {
        return "kafka";
    }

    public int port() {
        return config.kafkaPort();
    }

    public String bootstrapServers() {
        return Ports.HOST + ":" + config.kafkaPort();
    }

    @Override
    public String endpoint() {
        return bootstrapServers();
    }

    /** The directory holding the broker's partitions (log.dirs). */
    public Path logDir() {
        return logDir;
    }

    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        long begin = System.nanoTime();
        Ports.requireFree(config.kafkaPort(), "Kafka", "ITSM_KAFKA_PORT");
        Ports.requireFree(config.kafkaControllerPort(), "Kafka controller", "ITSM_KAFKA_CONTROLLER_PORT");
        requireJars();
        try {
            Files.createDirectories(logDir);
            Files.writeString(dir.resolve("server.properties"), serverProperties());
            Files.writeString(dir.resolve("log4j2.properties"), LOG4J2_PROPERTIES);
        } catch (IOException e) {
            throw new LocalStackException("could not write Kafka's configuration in " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format();
        }
        process = ChildProcess.start(name(), command("kafka.Kafka", dir.resolve("server.properties").toString()),
                Map.of(), dir, logFile, nextLogAppends(), config.runDir().resolve("kafka.pid"));
        awaitReady();
        startupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
    }

    private void requireJars() {
        boolean present;
        try (Stream<Path> jars = Files.isDirectory(config.kafkaLibDir()) ? Files.list(config.kafkaLibDir()) : Stream.empty()) {
            present = jars.anyMatch(p -> p.getFileName().toString().startsWith("kafka_2.13-"));
        } catch (IOException e) {
            present = false;
        }
        if (!present) {
            throw new LocalStackException("Kafka's jars are missing in " + config.kafkaLibDir()
                    + ": run ./itsm run (which builds) or ./mvnw package -DskipTests");
        }
    }

    private void format() {
        String clusterId = Uuid.randomUuid().toString();
        ChildProcess formatter = ChildProcess.start("kafka-storage-format",
                command("kafka.tools.StorageTool", "format", "-t", clusterId, "-c",
                        dir.resolve("server.properties").toString()),
                Map.of(), dir, logFile, nextLogAppends(), null);
        if (!formatter.waitFor(Duration.ofSeconds(60))) {
            formatter.stop(Duration.ofSeconds(5));
            throw new LocalStackException("formatting Kafka's storage took more than 60 s; see " + logFile);
        }
        if (formatter.exitCode() != 0) {
            throw new LocalStackException("formatting Kafka's storage failed (exit " + formatter.exitCode() + "):"
                    + System.lineSeparator() + formatter.logTail(30));
        }
    }

    private boolean nextLogAppends() {
        boolean append = logStarted;
        logStarted = true;
        return append;
    }

    private List<String> command(String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(LocalStack.javaExecutable());
        command.addAll(config.kafkaOpts());
        command.add("-Djava.awt.headless=true");
        command.add("-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"));
        command.add("-Ditsm.data=" + config.dataDir());
        command.add("-cp");
        command.add(config.kafkaLibDir() + "/*");
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (cancelled.getAsBoolean()) {
                stop();
                throw new LocalStackException("start of Kafka cancelled");
            }
            if (!process.isAlive()) {
                throw new LocalStackException("Kafka exited with code " + process.exitCode() + " while starting:"
                        + System.lineSeparator() + process.logTail(30));
            }
            if (Ports.accepts(config.kafkaPort()) && clusterAnswers()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                String tail = process.logTail(30);
                stop();
                throw new LocalStackException("Kafka was not ready after " + START_TIMEOUT.toSeconds() + " s:"
                        + System.lineSeparator() + tail);
            }
            sleep(200);
        }
    }

    private boolean clusterAnswers() {
        try (Admin admin = Admin.create(adminProperties())) {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).nodes()
                    .get(4, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    /** Client properties for an AdminClient talking to this broker. */
    public Properties adminProperties() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "itsm-local-stack");
        return props;
    }

    private String serverProperties() {
        int port = config.kafkaPort();
        int controllerPort = config.kafkaControllerPort();
        return String.join(System.lineSeparator(),
                "# Written by the ITSM local stack at every start; edits are overwritten.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@" + Ports.HOST + ":" + controllerPort,
                "listeners=PLAINTEXT://" + Ports.HOST + ":" + port + ",CONTROLLER://" + Ports.HOST + ":" + controllerPort,
                "advertised.listeners=PLAINTEXT://" + Ports.HOST + ":" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + logDir,
                "num.partitions=3",
                "default.replication.factor=1",
                "min.insync.replicas=1",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "num.network.threads=2",
                "num.io.threads=4",
                "") ;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while waiting for Kafka");
        }
    }

    private static final String LOG4J2_PROPERTIES = String.join(System.lineSeparator(),
            "# Written by the ITSM local stack: everything to stdout, which goes to <data>/logs/kafka.log.",
            "status = warn",
            "appender.stdout.type = Console",
            "appender.stdout.name = STDOUT",
            "appender.stdout.layout.type = PatternLayout",
            "appender.stdout.layout.pattern = [%d] %p %m (%c)%n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.stdout.ref = STDOUT",
            "logger.statechange.name = state.change.logger",
            "logger.statechange.level = WARN",
            "logger.request.name = kafka.request.logger",
            "logger.request.level = WARN",
            "logger.authorizer.name = kafka.authorizer.logger",
            "logger.authorizer.level = WARN",
            "");
}
