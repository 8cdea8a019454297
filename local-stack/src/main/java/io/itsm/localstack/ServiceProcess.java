package io.itsm.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** One of the four Quarkus services, run as {@code java -jar <module>/target/quarkus-app/quarkus-run.jar}. */
public final class ServiceProcess extends ChildProcessComponent {

    /** How long a training run may take to stop and write its AOT cache before it is killed (and writes none). */
    static final Duration TRAINING_STOP_GRACE = Duration.ofSeconds(150);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final String portVariable;
    private final Map<String, String> environment;
    private final LocalStackConfig config;
    private final BooleanSupplier cancelled;
    private final Path logFile;
    private volatile long spawnedNanos;
    private volatile AotCache aotCache;
    private volatile boolean aotCacheWritten;
    private boolean logStarted;

    ServiceProcess(String name, int port, String portVariable, Map<String, String> environment,
            LocalStackConfig config, BooleanSupplier cancelled) {
        this.name = name;
        this.port = port;
        this.portVariable = portVariable;
        this.config = config;
        this.cancelled = cancelled;
        this.logFile = config.logsDir().resolve(name + ".log");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        // the embedded default is for this machine only: listen on loopback, not on every interface
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_PROFILE", "local");
        env.putAll(environment);
        this.environment = Map.copyOf(env);
    }

    @Override
    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** E.g. {@code http://127.0.0.1:8081}. */
    public String url() {
        return "http://" + Ports.HOST + ":" + port;
    }

    @Override
    public String endpoint() {
        return url();
    }

    /** The environment the service is started with (on top of the launcher's own). */
    public Map<String, String> environment() {
        return environment;
    }

    /** {@code <ITSM_HOME>/<name>/target/quarkus-app/quarkus-run.jar}. */
    public Path jar() {
        return config.home().resolve(name).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
    }

    public Path logFile() {
        return logFile;
    }

    /** Fails with the build command when the service's jar does not exist. */
    public void requireBuilt() {
        if (!Files.isRegularFile(jar())) {
            throw new LocalStackException(name + " is not built: run ./itsm run (which builds) or "
                    + "./mvnw package -DskipTests (looked for " + jar() + ")");
        }
    }

    @Override
    public synchronized void start() {
        spawn();
        awaitReady();
    }

    /** Starts the process without waiting for readiness (see {@link #awaitReady()}). */
    synchronized void spawn() {
        if (isRunning()) {
            return;
        }
        requireBuilt();
        Ports.requireFree(port, name, portVariable);
        if (!Files.isExecutable(Path.of(config.serviceJava()))) {
            throw new LocalStackException("no java at " + config.serviceJava() + " (ITSM_SERVICE_JAVA_HOME="
                    + config.serviceJavaHome() + ")");
        }
        aotCacheWritten = false;
        aotCache = AotCache.forStart(config.serviceJavaHome(), jar(), config.javaOpts(), config.aotCache());
        List<String> command = new ArrayList<>();
        command.add(config.serviceJava());
        command.addAll(config.javaOpts());
        command.addAll(aotCache.jvmOptions());
        command.add("-Ditsm.data=" + config.dataDir());
        command.add("-jar");
        command.add(jar().toString());
        boolean append = logStarted;
        logStarted = true;
        spawnedNanos = System.nanoTime();
        process = ChildProcess.start(name, command, environment, config.home(), logFile, append,
                config.runDir().resolve(name + ".pid"));
    }

    /** Waits until {@code GET /q/health/ready} answers 200; on failure prints the log's tail and stops it. */
    void awaitReady() {
        ChildProcess p = process;
        Duration timeout = readyTimeout();
        long deadline = spawnedNanos + timeout.toNanos();
        while (!isReady()) {
            if (cancelled.getAsBoolean()) {
                throw new LocalStackException("start of " + name + " cancelled"); // close() stops it
            }
            if (!p.isAlive()) {
                throw new LocalStackException(name + " exited with code " + p.exitCode() + " while starting; last "
                        + "lines of " + logFile + ":" + System.lineSeparator() + p.logTail(30));
            }
            if (System.nanoTime() > deadline) {
                String tail = p.logTail(30);
                stop();
                throw new LocalStackException(name + " was not ready after " + timeout.toSeconds()
                        + " s (GET " + url() + "/q/health/ready); last lines of " + logFile + ":"
                        + System.lineSeparator() + tail);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalStackException("interrupted while waiting for " + name);
            }
        }
        startupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - spawnedNanos);
    }

    /** What this start does with the JDK's AOT cache (null before the first start). */
    public AotCache aotCache() {
        return aotCache;
    }

    /** What the last start did with the AOT cache; {@code NONE} before the first start. */
    public AotCache.Use aotCacheUse() {
        AotCache cache = aotCache;
        return cache == null ? AotCache.Use.NONE : cache.use();
    }

    /** SIGTERM, wait, SIGKILL; then a training run's AOT cache becomes the current one if it was written. */
    @Override
    public void stop() {
        super.stop();
        publishAotCache();
    }

    /** SIGKILL, as a crash: a training run's cache is never written (what it may have begun is deleted). */
    @Override
    public void kill() {
        super.kill();
        publishAotCache();
    }

    private void publishAotCache() {
        ChildProcess p = process;
        if (p != null && aotCacheUse() == AotCache.Use.TRAIN && !p.isAlive()) {
            aotCacheWritten = aotCache.publish(p.exitCode());
        }
    }

    /** Whether the last training run's stop left an AOT cache for the next start. */
    public boolean aotCacheWritten() {
        return aotCacheWritten;
    }

    /** ITSM_READY_TIMEOUT_SECONDS; twice that for a training run, which starts about twice as slowly. */
    Duration readyTimeout() {
        return aotCacheUse() == AotCache.Use.TRAIN ? config.readyTimeout().multipliedBy(2)
                : config.readyTimeout();
    }

    /** A training run writes the AOT cache on its way out: give it the time (about 30 s alone on 2 cores). */
    @Override
    Duration stopGrace() {
        return aotCacheUse() == AotCache.Use.TRAIN ? TRAINING_STOP_GRACE : STOP_GRACE;
    }

    /** Whether {@code GET /q/health/ready} answers 200 now. */
    public boolean isReady() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
