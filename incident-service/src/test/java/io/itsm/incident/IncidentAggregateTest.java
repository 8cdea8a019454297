package io.itsm.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.itsm.events.FieldChange;
import io.itsm.rest.Problem;
import io.itsm.rest.ProblemException;

/** The aggregate's lifecycle invariants, without a database. */
class IncidentAggregateTest {

    private static final Instant T0 = Instant.parse("2026-01-01T09:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-01-01T11:00:00Z");
    private static final Instant T3 = Instant.parse("2026-01-01T12:00:00Z");

    private final IncidentLifecycle lifecycle = new IncidentLifecycle();

    private static Incident newIncident() {
        return Incident.open("INC0010001", TestPolicies.fields("Email is down", 2, 2), TestPolicies.MATRIX, TestPolicies.SLA, T0);
    }

    private static TransitionDetails onHold(OnHoldReason reason) {
        return new TransitionDetails(reason, null, null);
    }

    private static TransitionDetails resolution(ResolutionCode code, String notes) {
        return new TransitionDetails(null, code, notes);
    }

    @Test
    void aNewIncidentHasNoLifecycleFieldsYet() {
        Incident incident = newIncident();
        assertThat(incident.state()).isEqualTo(IncidentState.NEW);
        assertThat(incident.reopenCount()).isZero();
        assertThat(incident.onHoldReason()).isNull();
        assertThat(incident.resolutionCode()).isNull();
        assertThat(incident.resolvedAt()).isNull();
        assertThat(incident.closedAt()).isNull();
    }

    @Test
    void onHoldWithoutAReasonIsRefusedAndNothingChanges() {
        Incident incident = newIncident();
        assertThatThrownBy(() -> incident.transitionTo(IncidentState.ON_HOLD, TransitionDetails.none(), lifecycle, TestPolicies.AGENT, TestPolicies.SLA, T1).changes())
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errors()).extracting(Problem.FieldError::field).containsExactly("onHoldReason");
                });
        assertThat(incident.state()).isEqualTo(IncidentState.NEW);
        assertThat(incident.updatedAt).isEqualTo(T0);
    }

    @Test
    void resolvingWithoutACodeIsRefused() {
        Incident incident = newIncident();
        assertThatThrownBy(() -> incident.transitionTo(IncidentState.RESOLVED, resolution(null, "Restarted"), lifecycle, TestPolicies.AGENT, TestPolicies.SLA, T1).changes())
                .isInstanceOfSatisfying(ProblemException.class,
                        e -> assertThat(e.errors()).extracting(Problem.FieldError::field).containsExactly("resolutionCode"));
        assertThat(incident.state()).isEqualTo(IncidentState.NEW);
    }

    @Test
    void resolvingWithoutNotesIsRefused() {
        Incident incident = newIncident();
        for (String notes : new String[] {null, "", "   "}) {
            assertThatThrownBy(() -> incident.transitionTo(IncidentState.RESOLVED,
                    resolution(ResolutionCode.SOLUTION_PROVIDED, notes), lifecycle, TestPolicies.AGENT, TestPolicies.SLA, T1).changes())
                    .isInstanceOfSatisfying(ProblemException.class,
                            e -> assertThat(e.errors()).extracting(Problem.FieldError::field).containsExactly("resolutionNotes"));
        }
        assertThatThrownBy(() -> incident.transitionTo(IncidentState.RESOLVED, TransitionDetails.none(), lifecycle, TestPolicies.AGENT, TestPolicies.SLA, T1).changes())
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.errors())
                        .extracting(Problem.FieldError::field).containsExactly("resolutionCode", "resolutionNotes"));
        assertThat(incident.state()).isEqualTo(IncidentState.NEW);
        assertThat(incident.resolvedAt()).isNull();
    }

    @Test
    void aForbiddenTransitionIsAConflictNamingTheAllowedStates() {
        Incident incident = newIncident();
        assertThatThrownBy(() -> incident.transitionTo(IncidentState.CLOSED, TransitionDetails.none(), lifecycle, TestPolicies.AGENT, TestPolicies.SLA, T1).changes())
                .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("IN_PROGRESS, ON_HOLD, RESOLVED, CANCELED");
                });
        assertThat(incident.state()).isEqualTo(IncidentState.NEW);
        assertThat(incident.closedAt()).isNull();
    }

    @Test
    void onHoldSetsTheReasonAndLeavingOnHoldClearsIt() {
        Incident incident = newIncident();
        List<FieldChange> toHold = incident.transitionTo(IncidentState.ON_HOLD, onHold(OnHoldReason.AWAITING_VENDOR), lifecycle, TestPolicies.AGENT, TestPolicies.SLA, T1).changes();
        assertThat(incident.onHoldReason()).isEqualTo(OnHoldReason.AWAITING_VENDOR);
        assertThat(incident.updatedAt).isEqualTo(T1);
        assertThat(toHold).containsExactly(new FieldChange("state", IncidentState.NEW, IncidentState.ON_HOLD),
                new FieldChange("onHoldReason", null, OnHoldReason.AWAITING_VENDOR),
                new FieldChange("respondedAt", null, T1));

        List<FieldChange> back = incident.transitionTo(IncidentState.IN_PROGRESS, TransitionDetails.none(), lifecycle, TestPolicies.AGENT, TestPolicies.SLA, T2).changes();
        assertThat(incident.state()).isEqualTo(IncidentState.IN_PROGRESS);
        assertThat(incident.onHoldReason()).isNull();
        // P3: resolution due 3 days after opening, plus the hour on hold
        assertThat(back).containsExactly(new FieldChange("state", IncidentState.ON_HOLD, IncidentState.IN_PROGRESS),
                new FieldChange("onHoldReason", OnHoldReason.AWAITING_VENDOR, null),
                new FieldChange("sla.resolutionDueAt", T0.plus(java.time.Duration.ofDays(3)), T0.plus(java.time.Duration.ofDays(3)).plusSeconds(3600)));
    }

    @Test
    void resolvingFromOnHoldAlsoClearsTheReason() {
        Incident incident = newIncident();
        incident.transitionTo(IncidentState.ON_HOLD, onHold(OnHoldReason.AWAITING_CALLER), lifecycle, TestPolicies.AGENT, TestPolicies.SLA, T1).changes();
        incident.transitionTo(IncidentState.RESOLVED, resolution(ResolutionCode.RESOLVED_BY_CALLER, "Caller fixed it"), lifecycle, TestPolicies.AGENT, TestPolicies.SLA, T2).changes();
        assertThat(incident.onHoldReason()).isNull();
        assertThat(incident.resolutionCode()).isEqualTo(ResolutionCode.RESOLVED_BY_CALLER);
    }

    @Test
    void resolvingAndClosingSetTheirTimestamps() {
        Incident incident = newIncident();
        List<FieldChange> resolved = incident.transitionTo(IncidentState.RESOLVED,
                resolution(ResolutionCode.WORKAROUND_PROVIDED, "Use webmail"), lifecycle, TestPolicies.AGENT, TestPolicies.SLA, T1).changes();
        assertThat(incident.resolvedAt()).isEqualTo(T1);
        assertThat(incident.resolutionCode()).isEqualTo(ResolutionCode.WORKAROUND_PROVIDED);
        assertThat(incident.resolutionNotes()).isEqualTo("Use webmail");
        assertThat(incident.closedAt()).isNull();
        assertThat(resolved).extracting(FieldChange::field)
                .containsExactly("state", "resolutionCode", "resolutionNotes", "respondedAt", "resolvedAt");

        List<FieldChange> closed = incident.transitionTo(IncidentState.CLOSED, TransitionDetails.none(), lifecycle, TestPolicies.AGENT, TestPolicies.SLA, T2).changes();
        assertThat(incident.closedAt()).isEqualTo(T2);
        assertThat(incident.resolvedAt()).isEqualTo(T1);
        assertThat(incident.updatedAt).isEqualTo(T2);
        assertThat(closed).containsExactly(new FieldChange("state", IncidentState.RESOLVED, IncidentState.CLOSED),
                new FieldChange("closedAt", null, T2));
    }

    @Test
    void cancelingSetsTheClosingTime() {
        Incident incident = newIncident();
        incident.transitionTo(IncidentState.CANCELED, TransitionDetails.none(), lifecycle, TestPolicies.AGENT, TestPolicies.SLA, T1).changes();
        assertThat(incident.state()).isEqualTo(IncidentState.CANCELED);
        assertThat(incident.closedAt()).isEqualTo(T1);
    }

    @Test
    void reopeningCountsAndClearsTheResolution() {
        Incident incident = newIncident();
        incident.transitionTo(IncidentState.IN_PROGRESS, TransitionDetails.none(), lifecycle, TestPolicies.AGENT, TestPolicies.SLA, T1).changes();
        incident.transitionTo(IncidentState.RESOLVED, resolution(ResolutionCode.SOLUTION_PROVIDED, "Restarted"), lifecycle, TestPolicies.AGENT, TestPolicies.SLA, T2).changes();

        List<FieldChange> reopened = incident.transitionTo(IncidentState.IN_PROGRESS, TransitionDetails.none(), lifecycle, TestPolicies.AGENT, TestPolicies.SLA, T3).changes();
        assertThat(incident.state()).isEqualTo(IncidentState.IN_PROGRESS);
        assertThat(incident.reopenCount()).isEqualTo(1);
        assertThat(incident.resolutionCode()).isNull();
        assertThat(incident.resolutionNotes()).isNull();
        assertThat(incident.resolvedAt()).isNull();
        assertThat(reopened).containsExactly(
                new FieldChange("state", IncidentState.RESOLVED, IncidentState.IN_PROGRESS),
                new FieldChange("resolutionCode", ResolutionCode.SOLUTION_PROVIDED, null),
                new FieldChange("resolutionNotes", "Restarted", null),
                new FieldChange("reopenCount", 0, 1),
                new FieldChange("resolvedAt", T2, null),
                new FieldChange("sla.resolutionDueAt", T0.plus(java.time.Duration.ofDays(3)), T0.plus(java.time.Duration.ofDays(3)).plusSeconds(3600)));

        incident.transitionTo(IncidentState.RESOLVED, resolution(ResolutionCode.KNOWN_ERROR, "Known error KE-12"), lifecycle, TestPolicies.AGENT, TestPolicies.SLA, T3).changes();
        incident.transitionTo(IncidentState.IN_PROGRESS, TransitionDetails.none(), lifecycle, TestPolicies.AGENT, TestPolicies.SLA, T3).changes();
        assertThat(incident.reopenCount()).isEqualTo(2);
    }

    @Test
    void onlyReopeningCountsAReopen() {
        Incident incident = newIncident();
        incident.transitionTo(IncidentState.ON_HOLD, onHold(OnHoldReason.AWAITING_CHANGE), lifecycle, TestPolicies.AGENT, TestPolicies.SLA, T1).changes();
        incident.transitionTo(IncidentState.IN_PROGRESS, TransitionDetails.none(), lifecycle, TestPolicies.AGENT, TestPolicies.SLA, T2).changes();
        assertThat(incident.reopenCount()).isZero();
    }
}
