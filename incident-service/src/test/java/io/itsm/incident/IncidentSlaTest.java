package io.itsm.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The SLA clocks of the aggregate: pause, resume, re-targeting, warning and breach, each exactly once. */
class IncidentSlaTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private final IncidentLifecycle lifecycle = new IncidentLifecycle();

    private static Instant at(Duration sinceOpening) {
        return T0.plus(sinceOpening);
    }

    private static Incident open(int impact, int urgency) {
        return Incident.open("INC0010001", TestPolicies.fields("VPN drops", impact, urgency), TestPolicies.MATRIX, TestPolicies.SLA, T0);
    }

    private void move(Incident incident, IncidentState to, Duration when) {
        TransitionDetails details = switch (to) {
            case ON_HOLD -> new TransitionDetails(OnHoldReason.AWAITING_VENDOR, null, null);
            case RESOLVED -> new TransitionDetails(null, ResolutionCode.SOLUTION_PROVIDED, "Fixed");
            default -> TransitionDetails.none();
        };
        incident.transitionTo(to, details, lifecycle, TestPolicies.AGENT, TestPolicies.SLA, at(when));
    }

    private static SlaEvent event(SlaEvent.Clock clock, SlaEvent.Level level) {
        return new SlaEvent(clock, level);
    }

    @Test
    void targetsFollowThePriority() {
        Incident p2 = open(1, 2);
        assertThat(p2.sla().responseTarget()).isEqualTo(Duration.ofMinutes(30));
        assertThat(p2.sla().resolutionTarget()).isEqualTo(Duration.ofHours(8));
        assertThat(p2.sla().responseDueAt()).isEqualTo(at(Duration.ofMinutes(30)));
        assertThat(p2.sla().resolutionDueAt()).isEqualTo(at(Duration.ofHours(8)));
        assertThat(p2.sla().nextCheckAt()).isEqualTo(at(Duration.ofSeconds(1350))); // 75 % of 30 min

        Incident p5 = open(3, 3);
        assertThat(p5.sla().responseDueAt()).isNull();
        assertThat(p5.sla().resolutionDueAt()).isNull();
        assertThat(p5.sla().nextCheckAt()).isNull();
        assertThat(p5.checkSla(TestPolicies.SLA, at(Duration.ofDays(30)))).isEmpty();
    }

    @Test
    void warningAndBreachAreReportedOnceEach() {
        Incident p2 = open(1, 2);
        assertThat(p2.checkSla(TestPolicies.SLA, at(Duration.ofSeconds(1349)))).isEmpty();
        assertThat(p2.checkSla(TestPolicies.SLA, at(Duration.ofSeconds(1350))))
                .containsExactly(event(SlaEvent.Clock.RESPONSE, SlaEvent.Level.WARNING));
        assertThat(p2.checkSla(TestPolicies.SLA, at(Duration.ofSeconds(1351)))).isEmpty();
        assertThat(p2.sla().nextCheckAt()).isEqualTo(at(Duration.ofMinutes(30)));
        assertThat(p2.checkSla(TestPolicies.SLA, at(Duration.ofMinutes(30))))
                .containsExactly(event(SlaEvent.Clock.RESPONSE, SlaEvent.Level.BREACHED));
        assertThat(p2.checkSla(TestPolicies.SLA, at(Duration.ofMinutes(31)))).isEmpty();
        assertThat(p2.sla().nextCheckAt()).isEqualTo(at(Duration.ofHours(6)));
        assertThat(p2.checkSla(TestPolicies.SLA, at(Duration.ofHours(9)))).containsExactly(
                event(SlaEvent.Clock.RESOLUTION, SlaEvent.Level.WARNING), event(SlaEvent.Clock.RESOLUTION, SlaEvent.Level.BREACHED));
        assertThat(p2.checkSla(TestPolicies.SLA, at(Duration.ofHours(10)))).isEmpty();
        assertThat(p2.sla().nextCheckAt()).isNull();
        assertThat(p2.sla().responseBreached()).isTrue();
        assertThat(p2.sla().resolutionBreached()).isTrue();
    }

    @Test
    void aTimelyResponseStopsTheResponseClock() {
        Incident p2 = open(1, 2);
        move(p2, IncidentState.IN_PROGRESS, Duration.ofMinutes(10));
        assertThat(p2.respondedAt()).isEqualTo(at(Duration.ofMinutes(10)));
        assertThat(p2.sla().nextCheckAt()).isEqualTo(at(Duration.ofHours(6)));
        assertThat(p2.checkSla(TestPolicies.SLA, at(Duration.ofHours(1)))).isEmpty();
        assertThat(p2.sla().responseBreached()).isFalse();
    }

    @Test
    void onHoldPausesTheResolutionClockAndMovesItsDueTime() {
        Incident p2 = open(1, 2);
        move(p2, IncidentState.IN_PROGRESS, Duration.ofMinutes(5));
        move(p2, IncidentState.ON_HOLD, Duration.ofHours(1));
        assertThat(p2.sla().paused()).isTrue();
        assertThat(p2.sla().nextCheckAt()).isNull();
        // far beyond the due time, but paused: nothing falls due
        assertThat(p2.checkSla(TestPolicies.SLA, at(Duration.ofHours(20)))).isEmpty();
        assertThat(p2.slaElapsed(at(Duration.ofHours(20)))).isEqualTo(Duration.ofHours(1));
        assertThat(p2.slaPaused(at(Duration.ofHours(20)))).isEqualTo(Duration.ofHours(19));

        move(p2, IncidentState.IN_PROGRESS, Duration.ofHours(3)); // two hours on hold
        assertThat(p2.sla().paused()).isFalse();
        assertThat(p2.sla().resolutionDueAt()).isEqualTo(at(Duration.ofHours(10)));
        assertThat(p2.sla().nextCheckAt()).isEqualTo(at(Duration.ofHours(8))); // 6 h running + 2 h paused
        assertThat(p2.slaElapsed(at(Duration.ofHours(4)))).isEqualTo(Duration.ofHours(2));
        assertThat(p2.checkSla(TestPolicies.SLA, at(Duration.ofHours(8)).minusSeconds(1))).isEmpty();
        assertThat(p2.checkSla(TestPolicies.SLA, at(Duration.ofHours(8))))
                .containsExactly(event(SlaEvent.Clock.RESOLUTION, SlaEvent.Level.WARNING));
        assertThat(p2.checkSla(TestPolicies.SLA, at(Duration.ofHours(10))))
                .containsExactly(event(SlaEvent.Clock.RESOLUTION, SlaEvent.Level.BREACHED));
    }

    @Test
    void resolvedTimeIsPausedAndAReopenResumes() {
        Incident p2 = open(1, 2);
        move(p2, IncidentState.RESOLVED, Duration.ofHours(1));
        assertThat(p2.checkSla(TestPolicies.SLA, at(Duration.ofHours(30)))).isEmpty();
        move(p2, IncidentState.IN_PROGRESS, Duration.ofHours(5)); // reopened after 4 h resolved
        assertThat(p2.sla().resolutionDueAt()).isEqualTo(at(Duration.ofHours(12)));
        move(p2, IncidentState.RESOLVED, Duration.ofHours(6));
        move(p2, IncidentState.CLOSED, Duration.ofHours(50));
        assertThat(p2.slaElapsed(at(Duration.ofDays(9)))).isEqualTo(Duration.ofHours(2));
        assertThat(p2.sla().nextCheckAt()).isNull();
    }

    @Test
    void aLateResolutionIsReportedAsABreachBeforeTheClockStops() {
        Incident p1 = open(1, 1);
        move(p1, IncidentState.IN_PROGRESS, Duration.ofMinutes(1));
        Incident.Outcome resolved = p1.transitionTo(IncidentState.RESOLVED, new TransitionDetails(null, ResolutionCode.SOLUTION_PROVIDED, "Late"),
                lifecycle, TestPolicies.AGENT, TestPolicies.SLA, at(Duration.ofHours(5)));
        assertThat(resolved.slaEvents()).containsExactly(
                event(SlaEvent.Clock.RESOLUTION, SlaEvent.Level.WARNING), event(SlaEvent.Clock.RESOLUTION, SlaEvent.Level.BREACHED));
        assertThat(p1.sla().resolutionBreached()).isTrue();
    }

    /**
     * The chosen rule: a new priority applies as if it had held since the incident was opened, with the paused
     * periods of its history still excluded. So re-prioritising gives the same due times as opening the incident
     * with that priority and replaying the same transitions.
     */
    @Test
    void aNewPriorityRetargetsAsIfItHadAppliedFromTheStart() {
        Incident reprioritised = open(2, 2); // P3: 4 h / 3 d
        Incident fromTheStart = open(1, 1);  // P1: 15 min / 4 h
        for (Incident incident : List.of(reprioritised, fromTheStart)) {
            move(incident, IncidentState.IN_PROGRESS, Duration.ofMinutes(5));
            move(incident, IncidentState.ON_HOLD, Duration.ofMinutes(30));
            move(incident, IncidentState.IN_PROGRESS, Duration.ofMinutes(90)); // one hour on hold
        }
        IncidentFields p1 = new IncidentFields("VPN drops", null, "jane.doe", null, null, 1, 1, null, null, List.of(), false, null);
        Incident.Outcome outcome = reprioritised.update(p1, TestPolicies.MATRIX, TestPolicies.SLA, at(Duration.ofHours(2)));

        assertThat(reprioritised.priority()).isEqualTo(1);
        assertThat(reprioritised.sla().resolutionDueAt()).isEqualTo(fromTheStart.sla().resolutionDueAt()).isEqualTo(at(Duration.ofHours(5)));
        assertThat(reprioritised.sla().responseDueAt()).isEqualTo(fromTheStart.sla().responseDueAt());
        assertThat(reprioritised.sla().nextCheckAt()).isEqualTo(fromTheStart.sla().nextCheckAt()).isEqualTo(at(Duration.ofHours(4)));
        assertThat(outcome.changes()).extracting(c -> c.field()).contains("impact", "urgency", "priority", "sla.responseDueAt", "sla.resolutionDueAt");
        assertThat(outcome.slaEvents()).isEmpty(); // responded in time, 2 h of 4 h used
    }

    @Test
    void aStricterPriorityCanFallDueAtOnce() {
        Incident incident = open(3, 2); // P4: 1 d / 5 d
        IncidentFields critical = new IncidentFields("VPN drops", null, "jane.doe", null, null, 1, 1, null, null, List.of(), false, null);
        Incident.Outcome outcome = incident.update(critical, TestPolicies.MATRIX, TestPolicies.SLA, at(Duration.ofHours(5)));
        assertThat(outcome.slaEvents()).containsExactly(
                event(SlaEvent.Clock.RESPONSE, SlaEvent.Level.WARNING), event(SlaEvent.Clock.RESPONSE, SlaEvent.Level.BREACHED),
                event(SlaEvent.Clock.RESOLUTION, SlaEvent.Level.WARNING), event(SlaEvent.Clock.RESOLUTION, SlaEvent.Level.BREACHED));
    }
}
