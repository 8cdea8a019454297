package io.itsm.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The local stack: a real Kafka broker, a real PostgreSQL server, the MongoDB-wire store, the event topics and
 * (unless configured off) the four services, each a separate process that this object started and alone stops.
 * Use {@link #start(LocalStackConfig)} and {@link #close()}.
 */
public final class LocalStack implements AutoCloseable {

    private final LocalStackConfig config;
    private final PrintStream out;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch startupDone = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Runnable onClose;
    private volatile Thread startupThread;
    private volatile long startupMillis;

    private final KafkaBroker kafka;
    private final PostgresServer postgres;
    private final MongoWireServer mongo;
    private final ServiceProcess incidentService;
    private final ServiceProcess changeService;
    private final ServiceProcess cmdbService;
    private final ServiceProcess gateway;

    private LocalStack(LocalStackConfig config) {
        this.config = config;
        this.out = config.out();
        this.kafka = new KafkaBroker(config, closing::get);
        this.postgres = new PostgresServer(config);
        this.mongo = new MongoWireServer(config, closing::get);
        String kafkaBootstrap = kafka.bootstrapServers();
        this.incidentService = new ServiceProcess("incident-service", config.incidentPort(), "ITSM_INCIDENT_PORT",
                withLocalIssuer(config, Map.of("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap,
                        "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("incident"),
                        "QUARKUS_DATASOURCE_USERNAME", PostgresServer.USER,
                        "QUARKUS_DATASOURCE_PASSWORD", PostgresServer.PASSWORD)),
                config, closing::get);
        this.changeService = new ServiceProcess("change-service", config.changePort(), "ITSM_CHANGE_PORT",
                withLocalIssuer(config, Map.of("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap,
                        "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("change"),
                        "QUARKUS_DATASOURCE_USERNAME", PostgresServer.USER,
                        "QUARKUS_DATASOURCE_PASSWORD", PostgresServer.PASSWORD)),
                config, closing::get);
        this.cmdbService = new ServiceProcess("cmdb-service", config.cmdbPort(), "ITSM_CMDB_PORT",
                withLocalIssuer(config, Map.of("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap,
                        "QUARKUS_MONGODB_CONNECTION_STRING", mongo.connectionString(),
                        "QUARKUS_MONGODB_DATABASE", "cmdb")),
                config, closing::get);
        Map<String, String> gatewayEnvironment = new java.util.LinkedHashMap<>(LocalIssuer.gatewayEnvironment());
        gatewayEnvironment.putAll(Map.of("ITSM_GATEWAY_UPSTREAMS_INCIDENT", incidentService.url(),
                "ITSM_GATEWAY_UPSTREAMS_CHANGE", changeService.url(),
                "ITSM_GATEWAY_UPSTREAMS_CMDB", cmdbService.url()));
        this.gateway = new ServiceProcess("gateway", config.gatewayPort(), "ITSM_GATEWAY_PORT", gatewayEnvironment,
                config, closing::get);
    }

    /** A service's environment plus what makes it trust the local development issuer's tokens. */
    private static Map<String, String> withLocalIssuer(LocalStackConfig config, Map<String, String> environment) {
        Map<String, String> all = new java.util.LinkedHashMap<>(environment);
        all.putAll(LocalIssuer.serviceEnvironment(config.dataDir()));
        return all;
    }

    /**
     * Starts everything the configuration asks for and returns once it is ready; stops it all on failure. A JVM
     * shutdown hook closes the stack if the caller never does (e.g. a test JVM that is killed with SIGTERM).
     */
    public static LocalStack start(LocalStackConfig config) {
        LocalStack stack = create(config);
        Thread hook = new Thread(stack::close, "itsm-local-stack-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        stack.onClose = () -> {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook is running or done
            }
        };
        stack.startAll();
        return stack;
    }

    /** A stack that has not started anything yet, for callers that register their own shutdown hook first. */
    public static LocalStack create(LocalStackConfig config) {
        return new LocalStack(config);
    }

    /** The {@code java} of the running JVM, used for every child JVM. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts the components in order with a progress line each; on any failure stops what it started. */
    public void startAll() {
        startupThread = Thread.currentThread();
        long begin = System.nanoTime();
        try {
            preflight();
            int total = config.services() ? 8 : 4;
            step(1, total, "Kafka broker (KRaft) on " + kafka.bootstrapServers(), kafka);
            step(2, total, "PostgreSQL on " + Ports.HOST + ":" + postgres.port() + " (databases "
                    + String.join(", ", PostgresServer.DATABASES) + ")", postgres);
            step(3, total, "MongoDB-wire store on " + Ports.HOST + ":" + mongo.port(), mongo);
            createTopics(4, total);
            if (config.services()) {
                startDomainServices(5, total);
                step(8, total, "gateway on " + gateway.url(), gateway);
            }
            startupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        } catch (RuntimeException e) {
            if (!closing.get()) {
                synchronized (out) {
                    out.println();
                    out.println("Startup failed: " + e.getMessage());
                    if (components().stream().anyMatch(Component::isRunning)) {
                        out.println("Stopping what was started ...");
                    }
                    out.flush();
                }
            }
            close();
            throw e;
        } finally {
            startupDone.countDown();
        }
    }

    private void preflight() {
        if (config.services()) {
            services().forEach(ServiceProcess::requireBuilt);
        }
        Ports.requireFree(config.kafkaPort(), "Kafka", "ITSM_KAFKA_PORT");
        Ports.requireFree(config.kafkaControllerPort(), "Kafka controller", "ITSM_KAFKA_CONTROLLER_PORT");
        Ports.requireFree(config.postgresPort(), "PostgreSQL", "ITSM_POSTGRES_PORT");
        Ports.requireFree(config.mongoPort(), "MongoDB-wire store", "ITSM_MONGODB_PORT");
        if (config.services()) {
            Ports.requireFree(config.incidentPort(), "incident-service", "ITSM_INCIDENT_PORT");
            Ports.requireFree(config.changePort(), "change-service", "ITSM_CHANGE_PORT");
            Ports.requireFree(config.cmdbPort(), "cmdb-service", "ITSM_CMDB_PORT");
            Ports.requireFree(config.gatewayPort(), "gateway", "ITSM_GATEWAY_PORT");
        }
        try {
            Files.createDirectories(config.logsDir());
            Files.createDirectories(config.runDir());
        } catch (IOException e) {
            throw new LocalStackException("could not create " + config.logsDir() + ": " + e.getMessage(), e);
        }
    }

    private void step(int number, int total, String label, Component component) {
        requireNotClosing();
        out.printf("[%d/%d] %s ... ", number, total, label);
        out.flush();
        try {
            component.start();
        } catch (RuntimeException e) {
            out.println("failed");
            throw e;
        }
        out.println("ready in " + seconds(component.startupMillis()) + startNote(component));
    }

    /** " (AOT cache)" or " (training run: ...)" for a service that uses the JDK's AOT cache; "" otherwise. */
    private static String startNote(Component component) {
        if (component instanceof ServiceProcess service && service.aotCacheUse() != AotCache.Use.NONE) {
            return " (" + service.aotCache().describe() + ")";
        }
        return "";
    }

    /** After a training run's stop: whether it wrote its AOT cache. */
    private static String stopNote(Component component) {
        if (component instanceof ServiceProcess service && service.aotCacheUse() == AotCache.Use.TRAIN) {
            return service.aotCacheWritten()
                    ? " (wrote its AOT cache " + service.aotCache().file().getFileName() + ": later starts map it)"
                    : " (its training run wrote no AOT cache: see its log)";
        }
        return "";
    }

    private void createTopics(int number, int total) {
        requireNotClosing();
        out.printf("[%d/%d] Kafka topics %s (+ .dlq), %d partitions ... ", number, total,
                String.join(", ", KafkaTopics.EVENT_TOPICS), KafkaTopics.PARTITIONS);
        out.flush();
        long begin = System.nanoTime();
        List<String> created;
        try {
            created = KafkaTopics.ensure(kafka.adminProperties(), java.time.Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            out.println("failed");
            throw e;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        out.println((created.isEmpty() ? "all present" : "created " + created.size()) + " in " + seconds(millis));
    }

    private void startDomainServices(int firstNumber, int total) {
        requireNotClosing();
        List<ServiceProcess> domain = List.of(incidentService, changeService, cmdbService);
        out.println("      starting incident-service, change-service and cmdb-service in parallel "
                + "(logs in " + config.logsDir() + ")");
        for (ServiceProcess service : domain) {
            service.spawn();
        }
        ExecutorService waiters = Executors.newFixedThreadPool(domain.size(), runnable -> {
            Thread thread = new Thread(runnable, "itsm-ready-wait");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            int[] next = {firstNumber};
            for (ServiceProcess service : domain) {
                futures.add(waiters.submit(() -> {
                    service.awaitReady();
                    synchronized (out) {
                        out.printf("[%d/%d] %s on %s ... ready in %s%s%n", next[0]++, total, service.name(),
                                service.url(), seconds(service.startupMillis()), startNote(service));
                    }
                }));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException) {
                        throw (RuntimeException) e.getCause();
                    }
                    throw new LocalStackException(e.getCause().toString(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LocalStackException("interrupted while waiting for the services");
                }
            }
        } finally {
            waiters.shutdown(); // on failure the other waiters end when close() cancels them
        }
    }

    private void requireNotClosing() {
        if (closing.get()) {
            throw new LocalStackException("the stack is stopping");
        }
    }

    /**
     * Stops everything this stack started, in reverse order: gateway, the three services (in parallel), the
     * MongoDB-wire store, PostgreSQL, Kafka. Safe to call more than once and from a shutdown hook while
     * {@link #startAll()} is still running.
     */
    @Override
    public void close() {
        Thread starter = startupThread;
        boolean fromStartup = starter == Thread.currentThread();
        if (!closing.compareAndSet(false, true)) {
            if (!fromStartup) {
                awaitQuietly(closed); // another thread is stopping everything: return when it is done
            }
            return;
        }
        try {
            stopAll();
            if (starter != null && !fromStartup) {
                awaitQuietly(startupDone); // startAll() sees the closing flag and gives up quickly
                stopAll(); // anything it spawned in the meantime
            }
        } finally {
            closed.countDown();
            Runnable hook = onClose;
            if (hook != null) {
                hook.run();
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(90, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosing() {
        return closing.get();
    }

    private void stopAll() {
        stopOne(gateway);
        List<ServiceProcess> running = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        long begin = System.nanoTime();
        for (ServiceProcess service : List.of(incidentService, changeService, cmdbService)) {
            if (service.isRunning()) {
                running.add(service);
                pids.add(service.pid());
                service.requestStop(); // all three at once
            }
        }
        for (int i = 0; i < running.size(); i++) {
            running.get(i).stop();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            synchronized (out) {
                out.printf("Stopped %s (pid %d) in %s%s%n", running.get(i).name(), pids.get(i), seconds(millis),
                        stopNote(running.get(i)));
            }
        }
        stopOne(mongo);
        stopOne(postgres);
        stopOne(kafka);
    }

    private void stopOne(Component component) {
        if (!component.isRunning()) {
            component.stop(); // clears any half-started state; a no-op otherwise
            return;
        }
        long pid = component.pid();
        long begin = System.nanoTime();
        component.stop();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        synchronized (out) {
            out.printf("Stopped %s (pid %d) in %s%s%n", component.name(), pid, seconds(millis), stopNote(component));
        }
    }

    static String seconds(long millis) {
        return String.format("%.1f s", millis / 1000.0);
    }

    public LocalStackConfig config() {
        return config;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public MongoWireServer mongo() {
        return mongo;
    }

    public ServiceProcess incidentService() {
        return incidentService;
    }

    public ServiceProcess changeService() {
        return changeService;
    }

    public ServiceProcess cmdbService() {
        return cmdbService;
    }

    public ServiceProcess gateway() {
        return gateway;
    }

    /** The four services in start order: incident, change, cmdb, gateway. */
    public List<ServiceProcess> services() {
        return List.of(incidentService, changeService, cmdbService, gateway);
    }

    /** The components this configuration starts, in start order. */
    public List<Component> components() {
        List<Component> all = new ArrayList<>(List.of(kafka, postgres, mongo));
        if (config.services()) {
            all.addAll(services());
        }
        return List.copyOf(all);
    }

    /** How long {@link #startAll()} took, in milliseconds. */
    public long startupMillis() {
        return startupMillis;
    }
}
