package io.itsm.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.itsm.events.FieldChange;
import io.itsm.rest.ProblemException;

/** Editing, assignment, major incidents and the final states, without a database. */
class IncidentAssignmentTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);
    private static final Instant T2 = T0.plusSeconds(120);
    private final IncidentLifecycle lifecycle = new IncidentLifecycle();

    private static Incident open() {
        return Incident.open("INC0010001", TestPolicies.fields("Printer jam", 2, 2), TestPolicies.MATRIX, TestPolicies.SLA, T0);
    }

    private static IncidentFields assigned(Incident incident, String group, String assignee) {
        IncidentFields f = incident.fields();
        return new IncidentFields(f.shortDescription(), f.description(), f.caller(), f.category(), f.subcategory(), f.impact(),
                f.urgency(), group, assignee, f.configurationItemIds(), f.majorIncident(), f.parentIncidentId());
    }

    private static IncidentFields major(Incident incident) {
        IncidentFields f = incident.fields();
        return new IncidentFields(f.shortDescription(), f.description(), f.caller(), f.category(), f.subcategory(), f.impact(),
                f.urgency(), f.assignmentGroup(), f.assignee(), f.configurationItemIds(), true, f.parentIncidentId());
    }

    @Test
    void assigningSomeoneToANewIncidentStartsWork() {
        Incident incident = open();
        List<FieldChange> changes = incident.update(assigned(incident, "service-desk", "sam.agent"), TestPolicies.MATRIX, TestPolicies.SLA, T1).changes();
        assertThat(incident.state()).isEqualTo(IncidentState.IN_PROGRESS);
        assertThat(incident.respondedAt()).isEqualTo(T1);
        assertThat(incident.reassignmentCount()).isZero();
        assertThat(changes).containsExactly(new FieldChange("state", IncidentState.NEW, IncidentState.IN_PROGRESS),
                new FieldChange("assignmentGroup", null, "service-desk"), new FieldChange("assignee", null, "sam.agent"),
                new FieldChange("respondedAt", null, T1));
    }

    @Test
    void aGroupAloneDoesNotStartWork() {
        Incident incident = open();
        incident.update(assigned(incident, "service-desk", null), TestPolicies.MATRIX, TestPolicies.SLA, T1);
        assertThat(incident.state()).isEqualTo(IncidentState.NEW);
        assertThat(incident.respondedAt()).isNull();
    }

    @Test
    void openingWithAnAssigneeStartsInProgress() {
        IncidentFields fields = new IncidentFields("Disk full", null, null, null, null, 2, 2, "ops", "sam.agent", List.of(), false, null);
        Incident incident = Incident.open("INC0010002", fields, TestPolicies.MATRIX, TestPolicies.SLA, T0);
        assertThat(incident.state()).isEqualTo(IncidentState.IN_PROGRESS);
        assertThat(incident.respondedAt()).isEqualTo(T0);
    }

    @Test
    void everyNewGroupAfterTheFirstIsAReassignment() {
        Incident incident = open();
        incident.update(assigned(incident, "service-desk", "sam.agent"), TestPolicies.MATRIX, TestPolicies.SLA, T1);
        incident.update(assigned(incident, "service-desk", "kim.agent"), TestPolicies.MATRIX, TestPolicies.SLA, T1);
        assertThat(incident.reassignmentCount()).isZero();
        incident.update(assigned(incident, "network", null), TestPolicies.MATRIX, TestPolicies.SLA, T2);
        incident.update(assigned(incident, "database", "dee.dba"), TestPolicies.MATRIX, TestPolicies.SLA, T2);
        assertThat(incident.reassignmentCount()).isEqualTo(2);
        assertThat(incident.state()).isEqualTo(IncidentState.IN_PROGRESS);
    }

    @Test
    void anUnchangedUpdateChangesNothing() {
        Incident incident = open();
        assertThat(incident.update(incident.fields(), TestPolicies.MATRIX, TestPolicies.SLA, T1).changes()).isEmpty();
    }

    @Test
    void finalIncidentsCannotBeEdited() {
        for (IncidentState last : List.of(IncidentState.CLOSED, IncidentState.CANCELED)) {
            Incident incident = open();
            if (last == IncidentState.CLOSED) {
                incident.transitionTo(IncidentState.RESOLVED, new TransitionDetails(null, ResolutionCode.DUPLICATE, "dup"), lifecycle,
                        TestPolicies.AGENT, TestPolicies.SLA, T1);
            }
            incident.transitionTo(last, TransitionDetails.none(), lifecycle, TestPolicies.AGENT, TestPolicies.SLA, T1);
            assertThatThrownBy(() -> incident.update(assigned(incident, "x", "y"), TestPolicies.MATRIX, TestPolicies.SLA, T2))
                    .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(409));
        }
    }

    @Test
    void onlyAnAdminCancelsAMajorIncident() {
        Incident incident = open();
        incident.update(major(incident), TestPolicies.MATRIX, TestPolicies.SLA, T1);
        assertThatThrownBy(() -> incident.transitionTo(IncidentState.CANCELED, TransitionDetails.none(), lifecycle, TestPolicies.AGENT, TestPolicies.SLA, T2))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.getMessage()).contains("itsm-admin");
                });
        assertThat(incident.state()).isEqualTo(IncidentState.NEW);
        incident.transitionTo(IncidentState.CANCELED, TransitionDetails.none(), lifecycle, TestPolicies.ADMIN, TestPolicies.SLA, T2);
        assertThat(incident.state()).isEqualTo(IncidentState.CANCELED);
    }

    @Test
    void anAgentCancelsAnOrdinaryIncident() {
        Incident incident = open();
        incident.transitionTo(IncidentState.CANCELED, TransitionDetails.none(), lifecycle, TestPolicies.AGENT, TestPolicies.SLA, T1);
        assertThat(incident.state()).isEqualTo(IncidentState.CANCELED);
    }
}
