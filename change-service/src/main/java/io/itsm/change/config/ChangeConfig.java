package io.itsm.change.config;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The change practice's settings ({@code itsm.change.*}; every key also as an environment variable, e.g.
 * {@code ITSM_CHANGE_APPROVALS_MODERATE=itsm-cab:3}).
 */
@ConfigMapping(prefix = "itsm.change")
public interface ChangeConfig {

    /** How long an Idempotency-Key is remembered. */
    @WithDefault("P1D")
    Duration idempotencyKeyRetention();

    Approvals approvals();

    Gate gate();

    Correlation correlation();

    Conflicts conflicts();

    /** Scheduling conflicts. */
    interface Conflicts {
        /** Changes on CIs within this many CMDB hops (either way) of a change's CIs conflict with it; 0: only shared CIs. */
        @WithDefault("1")
        int relatedDepth();
    }

    /** Incident correlation: which changes may have caused a new incident. */
    interface Correlation {
        /** How long before an incident's opening a change's implementation counts. */
        @WithDefault("PT24H")
        java.time.Duration window();

        /** How many CMDB hops upstream of the incident's CIs (what they depend on) a change may be. */
        @WithDefault("3")
        int depth();
    }

    /** The CI/CD gate ({@code GET /api/changes/{id}/gate}). */
    interface Gate {
        /** Incidents of this priority or higher (1 = highest), opened on a CI in scope since implementation started, stop the pipeline. */
        @WithDefault("1")
        int stopOnPriority();
    }

    Risk risk();

    /**
     * The approvals a change needs before it may be scheduled, as {@code role:count} lists per risk level of a
     * NORMAL change, and for every EMERGENCY change (the emergency CAB; reviewed afterwards). STANDARD changes
     * are pre-approved by their template.
     */
    interface Approvals {
        @WithDefault("itsm-change-manager:1")
        List<String> low();

        @WithDefault("itsm-cab:2")
        List<String> moderate();

        @WithDefault("itsm-cab:2")
        List<String> high();

        @WithDefault("itsm-cab:2,itsm-admin:1")
        List<String> veryHigh();

        @WithDefault("itsm-cab:1")
        List<String> emergency();
    }

    /** How the risk score (0 … 100) is made up, and where its levels begin. */
    interface Risk {
        /** Added for an EMERGENCY change. */
        @WithDefault("30")
        int emergencyWeight();

        /** Added for a NORMAL change. */
        @WithDefault("10")
        int normalWeight();

        /** Added per CI in scope, up to {@link #ciCap()}. */
        @WithDefault("5")
        int perCiWeight();

        @WithDefault("25")
        int ciCap();

        /** A window longer than this adds {@link #longWindowWeight()}. */
        @WithDefault("4h")
        Duration longWindow();

        @WithDefault("10")
        int longWindowWeight();

        /** A window longer than this adds {@link #veryLongWindowWeight()} instead. */
        @WithDefault("12h")
        Duration veryLongWindow();

        @WithDefault("20")
        int veryLongWindowWeight();

        /** A window that overlaps business hours (Monday to Friday) adds {@link #businessHoursWeight()}. */
        @WithDefault("08:00")
        LocalTime businessHoursStart();

        @WithDefault("18:00")
        LocalTime businessHoursEnd();

        @WithDefault("UTC")
        ZoneId businessHoursZone();

        @WithDefault("15")
        int businessHoursWeight();

        /** Multiplied by the share of past changes on the same CIs that closed UNSUCCESSFUL. */
        @WithDefault("30")
        int failedChangesWeight();

        /** Added when a CI in scope has criticality 1. */
        @WithDefault("20")
        int criticalCiWeight();

        /** Added when the most critical CI in scope has criticality 2. */
        @WithDefault("10")
        int importantCiWeight();

        /** How many hops downstream count for the blast radius. */
        @WithDefault("3")
        int blastRadiusDepth();

        /** From this many dependent CIs on, {@link #blastRadiusMediumWeight()} is added. */
        @WithDefault("10")
        int blastRadiusMedium();

        @WithDefault("10")
        int blastRadiusMediumWeight();

        /** From this many dependent CIs on, {@link #blastRadiusLargeWeight()} is added instead. */
        @WithDefault("50")
        int blastRadiusLarge();

        @WithDefault("20")
        int blastRadiusLargeWeight();

        /** Added when a CI of criticality 1 is within the blast radius. */
        @WithDefault("10")
        int criticalDownstreamWeight();

        /** Added per open P1/P2 incident on the CIs in scope, up to {@link #openIncidentsCap()}. */
        @WithDefault("10")
        int openIncidentWeight();

        @WithDefault("20")
        int openIncidentsCap();

        /** Scores from here on are MODERATE. */
        @WithDefault("25")
        int moderateFrom();

        @WithDefault("50")
        int highFrom();

        @WithDefault("75")
        int veryHighFrom();
    }
}
