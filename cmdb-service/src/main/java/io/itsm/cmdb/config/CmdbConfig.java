package io.itsm.cmdb.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The CMDB's own settings ({@code itsm.cmdb.*}, each overridable by environment variable, e.g. ITSM_CMDB_CLASSES_REFRESH). */
@ConfigMapping(prefix = "itsm.cmdb")
public interface CmdbConfig {

    Classes classes();

    History history();

    Impact impact();

    Relationships relationships();

    interface Relationships {
        /**
         * How old a note of relationships being made must be before {@code JoinRecovery} takes it as left by a replica that
         * stopped, and finishes or withdraws its edges. Longer than the slowest import request (50,000 relationships).
         */
        @WithDefault("10m")
        Duration joinRecoveryAfter();

        /** How often a replica looks for such notes (read by the scheduler's expression). */
        @WithDefault("1m")
        Duration joinRecoveryInterval();
    }

    interface Impact {
        /** How many CIs impact analysis keeps in memory (most recently used), so that repeated answers read no store. */
        @WithDefault("20000")
        int ciCacheSize();

        /**
         * The most stored relationships a walk as of a past instant reads into memory at once: those changed since the
         * instant, or else those that existed then (~100 bytes each while the request runs). Beyond it the walk queries
         * the stored relationships level by level.
         */
        @WithDefault("50000")
        int maxEdgesInMemory();
    }

    interface Classes {
        /** How long a replica uses its copy of the class hierarchy before reading it again (a change made on another replica shows after at most this). */
        @WithDefault("10s")
        Duration refresh();
    }

    interface History {
        /** How often pending revisions move from CI documents into {@code ci_history} (read by the scheduler's expression). */
        @WithDefault("2s")
        Duration projectionInterval();
    }
}
