package io.itsm.incident.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The incident practice's settings ({@code itsm.incident.*}; every key also as an environment variable, e.g.
 * {@code ITSM_INCIDENT_AUTO_CLOSE_AFTER=P3D}).
 */
@ConfigMapping(prefix = "itsm.incident")
public interface IncidentConfig {

    /** Rows for impact 1, 2, 3; in each, the priorities for urgency 1, 2, 3. Default: the ITIL matrix. */
    @WithDefault("1 2 3,2 3 4,3 4 5")
    List<String> priorityMatrix();

    /** How long a RESOLVED incident waits before it closes itself. */
    @WithDefault("P7D")
    Duration autoCloseAfter();

    /** How long an Idempotency-Key is remembered. */
    @WithDefault("P1D")
    Duration idempotencyKeyRetention();

    /** How often the scheduler runs (a duration like {@code 15s}, or {@code off}); read by {@code IncidentScheduler}. */
    @WithDefault("15s")
    String schedulerInterval();

    /** How long after start the scheduler first runs. */
    @WithDefault("5s")
    String schedulerDelay();

    Sla sla();

    interface Sla {

        /** Targets per priority, keyed p1 … p5; a priority without a key (default: p5) has no target. */
        Map<String, Targets> targets();

        /** The share of a target at which {@code itsm.incident.sla-warning} is due. */
        @WithDefault("0.75")
        double warningRatio();

        /** How many incidents one scheduler pass handles per transaction. */
        @WithDefault("100")
        int batchSize();
    }

    interface Targets {
        Optional<Duration> response();

        Optional<Duration> resolution();
    }
}
