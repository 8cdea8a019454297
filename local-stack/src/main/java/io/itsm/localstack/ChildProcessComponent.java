package io.itsm.localstack;

import java.time.Duration;

/** A component that runs as one child process of the launcher: stopping, liveness, pid and memory in one place. */
abstract class ChildProcessComponent implements Component {

    /**
     * How long a component may take to stop after SIGTERM before it is killed. change-service takes 16-18 s on two
     * shared cores (its six Kafka consumers close one after another, about 3 s each).
     */
    static final Duration STOP_GRACE = Duration.ofSeconds(30);

    protected volatile ChildProcess process;
    protected volatile long startupMillis;

    @Override
    public void stop() {
        ChildProcess p = process;
        if (p != null) {
            p.stop(stopGrace());
        }
    }

    /** How long this component may take to stop after SIGTERM before it is killed. */
    Duration stopGrace() {
        return STOP_GRACE;
    }

    @Override
    public void kill() {
        ChildProcess p = process;
        if (p != null) {
            p.kill();
        }
    }

    /** Sends SIGTERM without waiting, so that several components can stop at the same time. */
    void requestStop() {
        ChildProcess p = process;
        if (p != null) {
            p.requestStop();
        }
    }

    @Override
    public boolean isRunning() {
        ChildProcess p = process;
        return p != null && p.isAlive();
    }

    @Override
    public long pid() {
        ChildProcess p = process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    @Override
    public long rssBytes() {
        return ProcessMemory.rssBytes(pid());
    }

    @Override
    public long startupMillis() {
        return startupMillis;
    }
}
