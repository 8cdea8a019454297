package io.itsm.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/** The run command: starts the local stack in the foreground and stops it on Ctrl-C or SIGTERM (./itsm stop). */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    public static void main(String[] args) {
        boolean infraOnly = false;
        for (String arg : args) {
            switch (arg) {
                case "--infra-only", "--no-services" -> infraOnly = true;
                case "-h", "--help" -> {
                    usage(System.out);
                    return;
                }
                default -> {
                    System.err.println("unknown option: " + arg);
                    usage(System.err);
                    System.exit(2);
                }
            }
        }
        LocalStackConfig config;
        try {
            LocalStackConfig.Builder builder = LocalStackConfig.fromEnvironment(System.getenv());
            if (infraOnly) {
                builder.services(false);
            }
            config = builder.build();
        } catch (LocalStackException e) {
            System.err.println("itsm: " + e.getMessage());
            System.exit(2);
            return;
        }
        // The launcher's own library logging (zonky, Kafka AdminClient) goes to a file, not the console.
        System.setProperty("org.slf4j.simpleLogger.logFile", config.logsDir().resolve("launcher.log").toString());
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        try {
            Files.createDirectories(config.logsDir());
        } catch (IOException e) {
            System.err.println("itsm: cannot create " + config.logsDir() + ": " + e.getMessage());
            System.exit(1);
        }

        PidFile pidFile = new PidFile(config.dataDir());
        Optional<Long> running = pidFile.runningLauncher();
        if (running.isPresent()) {
            System.err.println("itsm: the stack is already running on " + config.dataDir() + " (pid " + running.get()
                    + "): use it, or run ./itsm stop first");
            System.exit(1);
        }
        List<String> leftovers = leftoverProcesses(config);
        if (!leftovers.isEmpty()) {
            System.err.println("itsm: processes of an earlier run on " + config.dataDir() + " are still alive ("
                    + String.join(", ", leftovers) + "), probably because its launcher was killed: run ./itsm stop");
            System.exit(1);
        }
        pidFile.write();

        PrintStream out = System.out;
        out.println("ITSM local stack: data in " + config.dataDir() + (config.services() ? "" : " (infrastructure only)"));
        LocalStack stack = LocalStack.create(config);
        AtomicBoolean stopRequested = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopRequested.set(true);
            boolean wasRunning = !stack.isClosing();
            if (wasRunning) {
                out.println();
                out.println("Stopping the ITSM local stack ...");
            }
            stack.close();
            pidFile.delete();
            if (wasRunning) {
                out.println("Stopped.");
            }
            out.flush();
        }, "itsm-stop"));

        try {
            stack.startAll();
        } catch (LocalStackException e) {
            if (stopRequested.get()) {
                return; // Ctrl-C or SIGTERM during startup: the shutdown hook stops what was started
            }
            System.err.println("itsm: the stack did not start (the reason is above)");
            pidFile.delete();
            System.exit(1);
            return;
        } catch (RuntimeException e) {
            System.err.println();
            System.err.println("itsm: unexpected failure while starting: " + e);
            e.printStackTrace(System.err);
            System.exit(1);
            return;
        }
        StackSummary.print(stack, out, true);
        out.println();
        out.println("Press Ctrl-C or run ./itsm stop to stop everything.");
        out.flush();
        watch(stack, out);
    }

    /**
     * Watches the components while the stack runs: one that dies is reported and, unless ITSM_RESTART=off, started
     * again ({@link ComponentSupervisor}); returns only when the JVM exits.
     */
    private static void watch(LocalStack stack, PrintStream out) {
        ComponentSupervisor supervisor = new ComponentSupervisor(stack.components(), stack.config().restartDied(),
                stack.config().logsDir(), out, System::nanoTime, stack::isClosing);
        while (!stack.isClosing()) {
            supervisor.check();
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Children of a killed launcher: pid files in {@code <data>/run} naming live processes of this data dir. */
    private static List<String> leftoverProcesses(LocalStackConfig config) {
        List<String> alive = new ArrayList<>();
        if (!Files.isDirectory(config.runDir())) {
            return alive;
        }
        try (Stream<Path> files = Files.list(config.runDir())) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".pid")).toList()) {
                try {
                    long pid = Long.parseLong(Files.readString(file).trim());
                    boolean ours = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                            .flatMap(h -> h.info().commandLine())
                            .map(cmd -> cmd.contains(config.dataDir().toString()))
                            .orElse(false);
                    if (ours) {
                        alive.add(file.getFileName().toString().replace(".pid", "") + " pid " + pid);
                    } else {
                        Files.deleteIfExists(file);
                    }
                } catch (IOException | NumberFormatException e) {
                    // not a pid file of ours
                }
            }
        } catch (IOException e) {
            return alive;
        }
        return alive;
    }

    private static void usage(PrintStream out) {
        out.println("usage: java -cp 'local-stack/target/local-stack-*.jar:local-stack/target/lib/*' "
                + LocalStackMain.class.getName() + " [--infra-only]");
        out.println("Starts Kafka, PostgreSQL, the MongoDB-wire store and the four services; see local-stack/README.md.");
    }
}
