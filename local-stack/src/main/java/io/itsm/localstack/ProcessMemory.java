package io.itsm.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the resident memory (VmRSS) and state of processes from /proc. */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** VmRSS of one process in bytes, 0 if unknown or gone. */
    public static long rssBytes(long pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone or /proc is not there
        }
        return 0;
    }

    /**
     * Whether the process has exited but not been reaped yet (state Z). The postmaster is a child of init, which
     * may reap it late; for the stack it is gone.
     */
    public static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int end = stat.lastIndexOf(')');
            return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** VmRSS of a process plus all its descendants, in bytes. */
    public static long rssBytesWithDescendants(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return 0;
        }
        return rssBytes(pid) + handle.get().descendants().mapToLong(child -> rssBytes(child.pid())).sum();
    }

    /** Human-readable megabytes, e.g. {@code 412 MB}. */
    public static String format(long bytes) {
        return String.format("%d MB", Math.round(bytes / (1024.0 * 1024.0)));
    }
}
