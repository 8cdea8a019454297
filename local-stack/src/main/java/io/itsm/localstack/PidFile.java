package io.itsm.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The launcher's pid in {@code <data>/itsm.pid}: refuses a second stack on the same data, read by ./itsm stop. */
public final class PidFile {

    private final Path file;

    public PidFile(Path dataDir) {
        this.file = dataDir.resolve("itsm.pid");
    }

    public Path path() {
        return file;
    }

    /** The pid of a live launcher named by the file, if any (a stale file or a reused pid does not count). */
    public Optional<Long> runningLauncher() {
        try {
            long pid = Long.parseLong(Files.readString(file).trim());
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(handle -> handle.pid() != ProcessHandle.current().pid())
                    .filter(handle -> handle.info().commandLine().map(cmd -> cmd.contains("io.itsm.localstack")
                            || cmd.contains("local-stack")).orElse(true))
                    .map(ProcessHandle::pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public void write() {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, ProcessHandle.current().pid() + System.lineSeparator());
        } catch (IOException e) {
            throw new LocalStackException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Removes the file if it still names this JVM. */
    public void delete() {
        try {
            if (Files.exists(file) && Files.readString(file).trim().equals(Long.toString(ProcessHandle.current().pid()))) {
                Files.delete(file);
            }
        } catch (IOException | RuntimeException ignored) {
            // nothing more to clean up
        }
    }
}
