package io.itsm.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** A real PostgreSQL server (zonky's packaged binaries) with a persistent data directory and the services' databases. */
public final class PostgresServer implements Component {

    /** Local development credentials only. */
    public static final String USER = "postgres";
    /** Local development credentials only. */
    public static final String PASSWORD = "postgres";
    /** The databases of incident-service and change-service. */
    public static final List<String> DATABASES = List.of("incident", "change");

    private final LocalStackConfig config;
    private final Path dataDirectory;
    private final Path logFile;
    private volatile EmbeddedPostgres server;
    private volatile long startupMillis;

    PostgresServer(LocalStackConfig config) {
        this.config = config;
        this.dataDirectory = config.dataDir().resolve("postgres");
        this.logFile = config.logsDir().resolve("postgres.log");
    }

    @Override
    public String name() {
        return "postgres";
    }

    public int port() {
        return config.postgresPort();
    }

    /** JDBC URL of one database, e.g. {@code jdbc:postgresql://127.0.0.1:15432/incident}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + Ports.HOST + ":" + config.postgresPort() + "/" + database;
    }

    @Override
    public String endpoint() {
        return jdbcUrl("<database>");
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        long begin = System.nanoTime();
        requireNoLeftoverServer();
        Ports.requireFree(config.postgresPort(), "PostgreSQL", "ITSM_POSTGRES_PORT");
        try {
            Files.createDirectories(dataDirectory);
            Files.createDirectories(logFile.getParent());
            EmbeddedPostgres started = EmbeddedPostgres.builder()
                    .setPort(config.postgresPort())
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setServerConfig("listen_addresses", Ports.HOST)
                    .setServerConfig("max_connections", "200")
                    // zonky turns it off; a commit is then acknowledged before its WAL leaves the server's memory, and a
                    // crash of the server loses it. On, a crash of the server loses nothing acknowledged (fsync stays
                    // off: a crash of the machine may)
                    .setServerConfig("synchronous_commit", "on")
                    // when each transaction committed (pg_xact_commit_timestamp): the benchmarks' end of an event's trip
                    .setServerConfig("track_commit_timestamp", "on")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            server = started;
            prepareDatabases();
            long pid = pid();
            if (pid > 0) {
                Files.createDirectories(config.runDir());
                Files.writeString(config.runDir().resolve("postgres.pid"), pid + System.lineSeparator());
            }
        } catch (IOException | RuntimeException e) {
            stop();
            if (e instanceof LocalStackException) {
                throw (LocalStackException) e;
            }
            throw new LocalStackException("PostgreSQL did not start: " + e.getMessage() + System.lineSeparator()
                    + ChildProcess.tail(logFile, 30), e);
        }
        startupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
    }

    private void requireNoLeftoverServer() {
        long pid = postmasterPid();
        boolean leftover = pid > 0 && ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .flatMap(h -> h.info().command())
                .map(command -> command.endsWith("postgres"))
                .orElse(false);
        if (leftover) {
            throw new LocalStackException("a PostgreSQL server from an earlier run still uses " + dataDirectory
                    + " (pid " + pid + "): run ./itsm stop, or stop it with: kill " + pid);
        }
    }

    private void prepareDatabases() {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (String database : DATABASES) {
                boolean exists;
                try (PreparedStatement q = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                    q.setString(1, database);
                    try (ResultSet rs = q.executeQuery()) {
                        exists = rs.next();
                    }
                }
                if (!exists) {
                    s.execute("create database " + database);
                }
            }
            s.execute("alter user " + USER + " with password '" + PASSWORD + "'");
        } catch (SQLException e) {
            throw new LocalStackException("could not create the databases " + DATABASES + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void stop() {
        EmbeddedPostgres s = server;
        server = null;
        if (s != null) {
            long pid = postmasterPid();
            Optional<ProcessHandle> postmaster = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
            try {
                s.close(); // pg_ctl stop -m fast: returns when postmaster.pid is gone
            } catch (IOException e) {
                // zonky logs the failure; the wait below tells the truth
            }
            postmaster.ifPresent(PostgresServer::awaitExit);
            forgetPidHint();
        }
    }

    /**
     * SIGKILL to the postmaster and every process it started, as a crash of the server: its data directory keeps what
     * it wrote, and the next start recovers from the write-ahead log.
     */
    @Override
    public synchronized void kill() {
        EmbeddedPostgres s = server;
        server = null;
        long pid = postmasterPid();
        Optional<ProcessHandle> postmaster = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        if (postmaster.isPresent()) {
            List<ProcessHandle> processes = new ArrayList<>(postmaster.get().descendants().toList());
            processes.add(postmaster.get());
            // the postmaster first, so that it does not start replacements for the backends killed before it
            Collections.reverse(processes);
            processes.forEach(ProcessHandle::destroyForcibly);
            processes.forEach(p -> exited(p, Duration.ofSeconds(10)));
        }
        if (s != null) {
            try {
                s.close(); // its pg_ctl stop finds no server; what matters is that zonky lets go of the data directory
            } catch (IOException | RuntimeException e) {
                // nothing was running any more
            }
        }
        forgetPidHint();
    }

    /** Deletes the postmaster's pid file for {@code ./itsm stop}: only a hint, so a failure is of no consequence. */
    private void forgetPidHint() {
        try {
            Files.deleteIfExists(config.runDir().resolve("postgres.pid"));
        } catch (IOException ignored) {
            // only a hint for ./itsm stop
        }
    }

    /** Waits for the postmaster to be gone; escalates to SIGQUIT (immediate shutdown), then SIGKILL. */
    private static void awaitExit(ProcessHandle postmaster) {
        if (exited(postmaster, Duration.ofSeconds(15))) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-QUIT", Long.toString(postmaster.pid())).inheritIO().start()
                    .waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill command: go straight to SIGKILL
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!exited(postmaster, Duration.ofSeconds(5))) {
            postmaster.destroyForcibly();
            exited(postmaster, Duration.ofSeconds(5));
        }
    }

    private static boolean exited(ProcessHandle process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process.isAlive() && !ProcessMemory.isZombie(process.pid())) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !process.isAlive();
            }
        }
        return true;
    }

    @Override
    public boolean isRunning() {
        return server != null && pid() > 0;
    }

    /** The postmaster's pid: the first line of {@code postmaster.pid}; -1 when not running. */
    @Override
    public long pid() {
        long pid = postmasterPid();
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) ? pid : -1;
    }

    private long postmasterPid() {
        try {
            List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
            return lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** The postmaster plus its backend and helper processes. */
    @Override
    public long rssBytes() {
        long pid = pid();
        return pid > 0 ? ProcessMemory.rssBytesWithDescendants(pid) : 0;
    }

    @Override
    public long startupMillis() {
        return startupMillis;
    }
}
