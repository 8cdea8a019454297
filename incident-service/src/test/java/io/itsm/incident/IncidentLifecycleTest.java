package io.itsm.incident;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.itsm.events.EventTypes;

/** The transition table, cell by cell. */
class IncidentLifecycleTest {

    private final IncidentLifecycle lifecycle = new IncidentLifecycle();

    @ParameterizedTest(name = "{0} -> {1}: allowed {2}")
    @MethodSource("io.itsm.incident.ExpectedLifecycle#cells")
    void everyCellOfTheTable(IncidentState from, IncidentState to, boolean allowed) {
        assertThat(lifecycle.isAllowed(from, to)).isEqualTo(allowed);
        assertThat(lifecycle.allowedFrom(from).contains(to)).isEqualTo(allowed);
    }

    @Test
    void closedAndCanceledAreFinalAndNothingElseIs() {
        for (IncidentState state : IncidentState.values()) {
            assertThat(lifecycle.isFinal(state)).as(state.name())
                    .isEqualTo(state == IncidentState.CLOSED || state == IncidentState.CANCELED);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
            "NEW, IN_PROGRESS, " + EventTypes.INCIDENT_STATE_CHANGED,
            "NEW, ON_HOLD, " + EventTypes.INCIDENT_STATE_CHANGED,
            "NEW, CANCELED, " + EventTypes.INCIDENT_STATE_CHANGED,
            "ON_HOLD, IN_PROGRESS, " + EventTypes.INCIDENT_STATE_CHANGED,
            "NEW, RESOLVED, " + EventTypes.INCIDENT_RESOLVED,
            "IN_PROGRESS, RESOLVED, " + EventTypes.INCIDENT_RESOLVED,
            "RESOLVED, CLOSED, " + EventTypes.INCIDENT_CLOSED,
            "RESOLVED, IN_PROGRESS, " + EventTypes.INCIDENT_REOPENED,
    })
    void eachTransitionIsReportedByItsEventType(IncidentState from, IncidentState to, String type) {
        assertThat(lifecycle.eventType(from, to)).isEqualTo(type);
    }
}
