package io.itsm.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The MongoDB-wire-protocol store (mongo-java-server, H2 file backend) run as a child JVM. */
public final class MongoWireServer extends ChildProcessComponent {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final LocalStackConfig config;
    private final BooleanSupplier cancelled;
    private final Path storeFile;
    private final Path logFile;
    private boolean logStarted;

    MongoWireServer(LocalStackConfig config, BooleanSupplier cancelled) {
        this.config = config;
        this.cancelled = cancelled;
        this.storeFile = config.dataDir().resolve("mongodb").resolve("cmdb.mv");
        this.logFile = config.logsDir().resolve("mongodb.log");
    }

    @Override
    public String name() {
        return "mongodb";
    }

    public int port() {
        return config.mongoPort();
    }

    /** E.g. {@code mongodb://127.0.0.1:27027}. */
    public String connectionString() {
        return "mongodb://" + Ports.HOST + ":" + config.mongoPort();
    }

    @Override
    public String endpoint() {
        return connectionString();
    }

    /** The H2 MVStore file holding every database of this server. */
    public Path storeFile() {
        return storeFile;
    }

    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        long begin = System.nanoTime();
        Ports.requireFree(config.mongoPort(), "MongoDB-wire store", "ITSM_MONGODB_PORT");
        List<String> command = new ArrayList<>();
        command.add(LocalStack.javaExecutable());
        command.addAll(config.mongodbOpts());
        command.add("-Ditsm.data=" + config.dataDir());
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        command.add("-Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.wire=warn");
        command.add("-cp");
        command.add(config.mongoClasspath());
        command.add(MongoWireServerMain.class.getName());
        command.add("--host");
        command.add(Ports.HOST);
        command.add("--port");
        command.add(Integer.toString(config.mongoPort()));
        command.add("--file");
        command.add(storeFile.toString());
        boolean append = logStarted;
        logStarted = true;
        process = ChildProcess.start(name(), command, Map.of(), config.dataDir(), logFile, append,
                config.runDir().resolve("mongodb.pid"));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Ports.accepts(config.mongoPort())) {
            if (cancelled.getAsBoolean()) {
                stop();
                throw new LocalStackException("start of the MongoDB-wire store cancelled");
            }
            if (!process.isAlive()) {
                throw new LocalStackException("the MongoDB-wire store exited with code " + process.exitCode()
                        + " while starting:" + System.lineSeparator() + process.logTail(30));
            }
            if (System.nanoTime() > deadline) {
                String tail = process.logTail(30);
                stop();
                throw new LocalStackException("the MongoDB-wire store was not ready after "
                        + START_TIMEOUT.toSeconds() + " s:" + System.lineSeparator() + tail);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalStackException("interrupted while waiting for the MongoDB-wire store");
            }
        }
        startupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
    }
}
