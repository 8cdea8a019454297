package io.itsm.localstack;

/** One process of the local stack that can be stopped and started again on the same port with the same data. */
public interface Component {

    /** Short name used in progress lines, log file names and the summary table. */
    String name();

    /** Starts the process and returns once it serves requests; does nothing if it is already running. */
    void start();

    /** Stops the process (gracefully, then forcibly) and returns once it is gone; keeps its data. */
    void stop();

    /** Ends the process (and its children) with SIGKILL, as a crash would, and returns once it is gone; keeps its data. */
    void kill();

    /** Whether the process is alive. */
    boolean isRunning();

    /** The operating-system process id, or -1 when not running. */
    long pid();

    /** Resident memory of the process (and its children, for PostgreSQL) in bytes, or 0 when not running. */
    long rssBytes();

    /** How long the last start took until the component was ready, in milliseconds. */
    long startupMillis();

    /** Where clients reach it, e.g. {@code 127.0.0.1:19092} or {@code http://127.0.0.1:8081}. */
    String endpoint();
}
