package io.itsm.localstack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A process started by the stack, writing stdout and stderr to one log file, stopped by SIGTERM then SIGKILL. */
public final class ChildProcess {

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Path pidFile;

    private ChildProcess(String name, Process process, Path logFile, Path pidFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.pidFile = pidFile;
    }

    /**
     * Starts the command with the given extra environment. The log file is truncated when {@code append} is false.
     * The pid is also written to {@code pidFile} (if not null) so that {@code ./itsm stop} can find it after a
     * launcher crash.
     */
    public static ChildProcess start(String name, List<String> command, Map<String, String> environment,
            Path workingDirectory, Path logFile, boolean append, Path pidFile) {
        try {
            Files.createDirectories(logFile.getParent());
            String header = "==== " + Instant.now() + " starting " + name + ": " + String.join(" ", command)
                    + System.lineSeparator();
            if (append) {
                Files.writeString(logFile, header, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } else {
                Files.writeString(logFile, header, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            }
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (pidFile != null) {
                Files.createDirectories(pidFile.getParent());
                Files.writeString(pidFile, process.pid() + System.lineSeparator());
            }
            return new ChildProcess(name, process, logFile, pidFile);
        } catch (IOException e) {
            throw new LocalStackException("could not start " + name + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code, or -1 while it still runs. */
    public int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    public Path logFile() {
        return logFile;
    }

    /** Waits for the process to end, at most {@code timeout}; returns whether it ended. */
    public boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** Sends SIGTERM without waiting. */
    public void requestStop() {
        if (process.isAlive()) {
            process.toHandle().destroy();
        }
    }

    /** SIGTERM, waits up to {@code grace}, then SIGKILL; returns once the process is gone. */
    public void stop(Duration grace) {
        requestStop();
        if (!waitFor(grace)) {
            process.toHandle().destroyForcibly();
            waitFor(Duration.ofSeconds(10));
        }
        forgetPid();
    }

    /** SIGKILL at once, as a crash would end it (no shutdown hooks run); returns once the process is gone. */
    public void kill() {
        process.toHandle().destroyForcibly();
        waitFor(Duration.ofSeconds(10));
        forgetPid();
    }

    private void forgetPid() {
        if (pidFile != null) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException ignored) {
                // only a hint for ./itsm stop
            }
        }
    }

    /** The last {@code lines} lines of the log file. */
    public String logTail(int lines) {
        return tail(logFile, lines);
    }

    /** The last {@code lines} lines of a text file (reads at most the last 256 KB). */
    public static String tail(Path file, int lines) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long from = Math.max(0, length - 256 * 1024);
            byte[] bytes = new byte[(int) (length - from)];
            raf.seek(from);
            raf.readFully(bytes);
            String[] all = new String(bytes, StandardCharsets.UTF_8).split("\\R");
            List<String> last = new ArrayList<>();
            for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
                last.add("    | " + all[i]);
            }
            return String.join(System.lineSeparator(), last);
        } catch (IOException e) {
            return "    (no log at " + file + ")";
        }
    }
}
