package io.itsm.change.risk;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

import io.itsm.change.ChangeType;
import io.itsm.change.RiskLevel;
import io.itsm.change.config.ChangeConfig;

/**
 * Computes a change's risk from what the change service knows: its type, how many CIs are in scope and how
 * critical they are, how many CIs depend on them (blast radius, from its CMDB read model), the planned window
 * (length, business hours), how past changes on the same CIs ended, and the P1/P2 incidents open on them (from its
 * incident read model). Every factor that
 * applies is listed with its weight and evidence, so a CAB can see why a change is HIGH.
 */
public final class RiskAssessor {

    private static final Set<DayOfWeek> WEEKEND = Set.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);

    private final ChangeConfig.Risk config;

    public RiskAssessor(ChangeConfig.Risk config) {
        this.config = config;
    }

    /** Everything the risk depends on. */
    public record Inputs(ChangeType type, Set<UUID> ciIds, Instant plannedStart, Instant plannedEnd, PastOutcomes past,
                         long openMajorIncidents, OptionalInt mostCriticalCi, int blastRadius, OptionalInt mostCriticalDownstream) {
    }

    public RiskAssessment assess(Inputs in) {
        ChangeType type = in.type();
        Set<UUID> ciIds = in.ciIds();
        Instant plannedStart = in.plannedStart();
        Instant plannedEnd = in.plannedEnd();
        PastOutcomes past = in.past();
        long openMajorIncidents = in.openMajorIncidents();
        List<RiskFactor> factors = new ArrayList<>();
        switch (type) {
            case EMERGENCY -> factors.add(new RiskFactor("changeType", config.emergencyWeight(), "EMERGENCY change: expedited assessment"));
            case NORMAL -> factors.add(new RiskFactor("changeType", config.normalWeight(), "NORMAL change"));
            case STANDARD -> {
            }
        }
        if (!ciIds.isEmpty()) {
            int weight = Math.min(config.ciCap(), ciIds.size() * config.perCiWeight());
            factors.add(new RiskFactor("ciCount", weight, ciIds.size() + " CI" + (ciIds.size() == 1 ? "" : "s") + " in scope"));
        }
        if (in.mostCriticalCi().isPresent() && in.mostCriticalCi().getAsInt() <= 2) {
            int criticality = in.mostCriticalCi().getAsInt();
            factors.add(new RiskFactor("ciCriticality", criticality == 1 ? config.criticalCiWeight() : config.importantCiWeight(),
                    "a CI in scope has criticality " + criticality + " (1 is the highest)"));
        }
        if (in.blastRadius() >= config.blastRadiusMedium()) {
            boolean large = in.blastRadius() >= config.blastRadiusLarge();
            factors.add(new RiskFactor("blastRadius", large ? config.blastRadiusLargeWeight() : config.blastRadiusMediumWeight(),
                    in.blastRadius() + " CIs depend on the CIs in scope (within " + config.blastRadiusDepth() + " hops in the CMDB)"));
        }
        if (in.mostCriticalDownstream().isPresent() && in.mostCriticalDownstream().getAsInt() == 1) {
            factors.add(new RiskFactor("criticalDownstream", config.criticalDownstreamWeight(),
                    "a CI of criticality 1 depends on the CIs in scope"));
        }
        if (plannedStart != null && plannedEnd != null) {
            Duration length = Duration.between(plannedStart, plannedEnd);
            if (length.compareTo(config.veryLongWindow()) > 0) {
                factors.add(new RiskFactor("windowLength", config.veryLongWindowWeight(), "window of " + length + " is longer than " + config.veryLongWindow()));
            } else if (length.compareTo(config.longWindow()) > 0) {
                factors.add(new RiskFactor("windowLength", config.longWindowWeight(), "window of " + length + " is longer than " + config.longWindow()));
            }
            if (overlapsBusinessHours(plannedStart, plannedEnd)) {
                factors.add(new RiskFactor("businessHours", config.businessHoursWeight(), "window overlaps business hours ("
                        + config.businessHoursStart() + "-" + config.businessHoursEnd() + " " + config.businessHoursZone() + ", Monday to Friday)"));
            }
        }
        if (past.closed() > 0 && past.unsuccessful() > 0) {
            int weight = (int) Math.round(config.failedChangesWeight() * (double) past.unsuccessful() / past.closed());
            factors.add(new RiskFactor("failedChangesOnCis", weight, past.unsuccessful() + " of " + past.closed()
                    + " past changes on these CIs closed UNSUCCESSFUL"));
        }
        if (openMajorIncidents > 0) {
            int weight = (int) Math.min(config.openIncidentsCap(), openMajorIncidents * config.openIncidentWeight());
            factors.add(new RiskFactor("openIncidentsOnCis", weight, openMajorIncidents + " open P1/P2 incident"
                    + (openMajorIncidents == 1 ? "" : "s") + " on these CIs"));
        }
        int score = Math.min(100, factors.stream().mapToInt(RiskFactor::weight).sum());
        return new RiskAssessment(levelOf(score), score, List.copyOf(factors));
    }

    RiskLevel levelOf(int score) {
        if (score >= config.veryHighFrom()) {
            return RiskLevel.VERY_HIGH;
        }
        if (score >= config.highFrom()) {
            return RiskLevel.HIGH;
        }
        return score >= config.moderateFrom() ? RiskLevel.MODERATE : RiskLevel.LOW;
    }

    /** Whether [start, end) meets a weekday's business hours in the configured zone. */
    boolean overlapsBusinessHours(Instant start, Instant end) {
        LocalDate day = start.atZone(config.businessHoursZone()).toLocalDate();
        LocalDate last = end.atZone(config.businessHoursZone()).toLocalDate();
        for (int i = 0; !day.isAfter(last) && i < 8; i++, day = day.plusDays(1)) {
            if (WEEKEND.contains(day.getDayOfWeek())) {
                continue;
            }
            Instant open = ZonedDateTime.of(day, config.businessHoursStart(), config.businessHoursZone()).toInstant();
            Instant close = ZonedDateTime.of(day, config.businessHoursEnd(), config.businessHoursZone()).toInstant();
            if (start.isBefore(close) && end.isAfter(open)) {
                return true;
            }
        }
        return false;
    }
}
