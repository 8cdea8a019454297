package io.itsm.change;

import static io.itsm.change.TestChanges.ADMIN;
import static io.itsm.change.TestChanges.AGENT;
import static io.itsm.change.TestChanges.CAB_1;
import static io.itsm.change.TestChanges.CLEAR;
import static io.itsm.change.TestChanges.EVERYONE;
import static io.itsm.change.TestChanges.MANAGER;
import static io.itsm.change.TestChanges.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.itsm.events.EventTypes;
import io.itsm.rest.ProblemException;
import io.itsm.rest.security.Actor;

/** The three transition tables, cell by cell, in the lifecycle and through the aggregate, and who may take each step. */
class ChangeLifecycleTest {

    private static final TransitionDetails CLOSE = TestChanges.closing(CloseCode.SUCCESSFUL, "went as planned");

    @ParameterizedTest(name = "{0} {1} -> {2}: allowed {3}")
    @MethodSource("io.itsm.change.ExpectedLifecycles#cells")
    void everyCellOfTheTables(ChangeType type, ChangeState from, ChangeState to, boolean allowed) {
        assertThat(ChangeLifecycle.isAllowed(type, from, to)).isEqualTo(allowed);
        assertThat(ChangeLifecycle.allowedFrom(type, from).contains(to)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}: allowed {3}")
    @MethodSource("io.itsm.change.ExpectedLifecycles#cells")
    void theAggregateFollowsEveryCell(ChangeType type, ChangeState from, ChangeState to, boolean allowed) {
        ChangeRequest change = TestChanges.changeIn(type, from);
        if (allowed) {
            change.transitionTo(to, CLOSE, EVERYONE, CLEAR, NOW.plusSeconds(60));
            assertThat(change.state).isEqualTo(to);
            assertThat(change.updatedAt).isEqualTo(NOW.plusSeconds(60));
        } else {
            assertThatThrownBy(() -> change.transitionTo(to, CLOSE, EVERYONE, CLEAR, NOW))
                    .isInstanceOfSatisfying(ProblemException.class, e -> {
                        assertThat(e.status()).isEqualTo(409);
                        assertThat(e.getMessage()).contains(ChangeLifecycle.isFinal(from) ? "can no longer change" : "allowed next states");
                    });
            assertThat(change.state).isEqualTo(from);
        }
    }

    @Test
    void theIllegalTransitionNamesTheAllowedNextStates() {
        ChangeRequest change = TestChanges.changeIn(ChangeType.NORMAL, ChangeState.NEW);
        assertThatThrownBy(() -> change.transitionTo(ChangeState.SCHEDULED, CLOSE, EVERYONE, CLEAR, NOW))
                .hasMessage("a NORMAL change in state NEW cannot move to SCHEDULED; allowed next states: ASSESS, CANCELED");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ChangeState.class)
    void onlyClosedAndCanceledAreFinal(ChangeState state) {
        assertThat(ChangeLifecycle.isFinal(state)).isEqualTo(state == ChangeState.CLOSED || state == ChangeState.CANCELED);
    }

    /** Who may take each allowed step: the change manager through ASSESS/AUTHORIZE/SCHEDULED (an implementer schedules a STANDARD change). */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("io.itsm.change.ExpectedLifecycles#cells")
    void everyAllowedStepChecksTheCallersRoles(ChangeType type, ChangeState from, ChangeState to, boolean allowed) {
        if (!allowed) {
            return;
        }
        boolean managersOnly = to == ChangeState.ASSESS || to == ChangeState.AUTHORIZE || (to == ChangeState.SCHEDULED && type != ChangeType.STANDARD);
        for (Actor actor : new Actor[]{AGENT, MANAGER, ADMIN, CAB_1, new Actor("rita.reader", Set.of("itsm-reader"))}) {
            boolean may = actor == MANAGER || actor == ADMIN || (actor == AGENT && !managersOnly);
            ChangeRequest change = TestChanges.changeIn(type, from);
            if (may) {
                change.transitionTo(to, CLOSE, actor, CLEAR, NOW);
                assertThat(change.state).as(actor.name()).isEqualTo(to);
            } else {
                assertThatThrownBy(() -> change.transitionTo(to, CLOSE, actor, CLEAR, NOW)).as(actor.name())
                        .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(403));
                assertThat(change.state).isEqualTo(from);
            }
        }
    }

    @ParameterizedTest(name = "into {0}: {1}")
    @CsvSource({
            "SCHEDULED, " + EventTypes.CHANGE_SCHEDULED,
            "REVIEW, " + EventTypes.CHANGE_IMPLEMENTED,
            "CLOSED, " + EventTypes.CHANGE_CLOSED,
            "ASSESS, " + EventTypes.CHANGE_STATE_CHANGED,
            "AUTHORIZE, " + EventTypes.CHANGE_STATE_CHANGED,
            "IMPLEMENT, " + EventTypes.CHANGE_STATE_CHANGED,
            "CANCELED, " + EventTypes.CHANGE_STATE_CHANGED,
    })
    void eachTransitionIsReportedByItsEventType(ChangeState to, String type) {
        assertThat(ChangeLifecycle.eventType(to)).isEqualTo(type);
    }
}
