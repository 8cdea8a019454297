package io.itsm.change;

import static io.itsm.change.TestChanges.AGENT;
import static io.itsm.change.TestChanges.CLEAR;
import static io.itsm.change.TestChanges.MANAGER;
import static io.itsm.change.TestChanges.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.itsm.events.FieldChange;
import io.itsm.rest.Problem;
import io.itsm.rest.ProblemException;

/** Each guard of the change lifecycle, and what the transitions record. */
class ChangeGuardsTest {

    private static final Conflict CONFLICT = new Conflict(Conflict.Kind.CHANGE, UUID.randomUUID(), "CHG0010002", TestChanges.CI, null,
            Instant.parse("2026-12-05T22:30:00Z"), Instant.parse("2026-12-05T23:00:00Z"), "CHG0010002 also changes the CI");

    private static List<String> failedFields(Runnable transition) {
        try {
            transition.run();
        } catch (ProblemException e) {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.slug()).isEqualTo("transition-guard-failed");
            return e.errors().stream().map(Problem.FieldError::field).toList();
        }
        throw new AssertionError("the guard let the transition through");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ChangeType.class, names = {"NORMAL", "EMERGENCY"})
    void authorizationNeedsPlansCisAndAWindow(ChangeType type) {
        ChangeRequest change = TestChanges.change(type, TestChanges.bare());
        change.state = type == ChangeType.NORMAL ? ChangeState.ASSESS : ChangeState.NEW;
        assertThat(failedFields(() -> change.transitionTo(ChangeState.AUTHORIZE, TransitionDetails.NONE, MANAGER, CLEAR, NOW)))
                .containsExactly("implementationPlan", "backoutPlan", "testPlan", "configurationItemIds", "plannedStart");
        assertThat(change.state).isNotEqualTo(ChangeState.AUTHORIZE);
    }

    @Test
    void aStandardChangeNeedsCisAndAWindowToBeScheduled() {
        ChangeRequest change = TestChanges.change(ChangeType.STANDARD, TestChanges.bare());
        assertThat(failedFields(() -> change.transitionTo(ChangeState.SCHEDULED, TransitionDetails.NONE, AGENT, CLEAR, NOW)))
                .containsExactly("configurationItemIds", "plannedStart");
    }

    @Test
    void schedulingAfterAuthorizationNeedsTheApprovals() {
        ChangeRequest change = TestChanges.changeIn(ChangeType.NORMAL, ChangeState.AUTHORIZE);
        ChangeRequest.GuardInputs pending = new ChangeRequest.GuardInputs(new ApprovalStatus(false, List.of("1 more approval by itsm-cab")), List.of());
        assertThatThrownBy(() -> change.transitionTo(ChangeState.SCHEDULED, TransitionDetails.NONE, MANAGER, pending, NOW))
                .isInstanceOf(ProblemException.class).hasMessageContaining("approvals are incomplete: 1 more approval by itsm-cab");
        assertThat(change.state).isEqualTo(ChangeState.AUTHORIZE);
    }

    @Test
    void aConflictBlocksSchedulingUnlessAChangeManagerOverridesIt() {
        ChangeRequest.GuardInputs conflicted = new ChangeRequest.GuardInputs(ApprovalStatus.NOT_NEEDED, List.of(CONFLICT));
        ChangeRequest change = TestChanges.changeIn(ChangeType.NORMAL, ChangeState.AUTHORIZE);
        assertThat(failedFields(() -> change.transitionTo(ChangeState.SCHEDULED, TransitionDetails.NONE, MANAGER, conflicted, NOW)))
                .containsExactly("conflicts");

        ChangeRequest standard = TestChanges.changeIn(ChangeType.STANDARD, ChangeState.NEW);
        TransitionDetails override = new TransitionDetails(null, null, null, "  coordinated with the other team  ");
        assertThatThrownBy(() -> standard.transitionTo(ChangeState.SCHEDULED, override, AGENT, conflicted, NOW))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> change.transitionTo(ChangeState.SCHEDULED, override, TestChanges.ADMIN, conflicted, NOW))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(403));

        List<FieldChange> changes = change.transitionTo(ChangeState.SCHEDULED, override, MANAGER, conflicted, NOW);
        assertThat(change.state).isEqualTo(ChangeState.SCHEDULED);
        assertThat(change.conflictOverride()).isEqualTo("coordinated with the other team");
        assertThat(changes).contains(new FieldChange("state", ChangeState.AUTHORIZE, ChangeState.SCHEDULED),
                new FieldChange("conflictOverride", null, "coordinated with the other team"));
    }

    @Test
    void closingNeedsACloseCodeAndAFailureNeedsAReview() {
        ChangeRequest change = TestChanges.changeIn(ChangeType.NORMAL, ChangeState.REVIEW);
        assertThat(failedFields(() -> change.transitionTo(ChangeState.CLOSED, TransitionDetails.NONE, AGENT, CLEAR, NOW)))
                .containsExactly("closeCode");
        assertThat(failedFields(() -> change.transitionTo(ChangeState.CLOSED, TestChanges.closing(CloseCode.UNSUCCESSFUL, " "), AGENT, CLEAR, NOW)))
                .containsExactly("reviewNotes");
        change.transitionTo(ChangeState.CLOSED, TestChanges.closing(CloseCode.UNSUCCESSFUL, "disk full on node 2; backed out"), AGENT, CLEAR, NOW);
        assertThat(change.closeCode()).isEqualTo(CloseCode.UNSUCCESSFUL);
        assertThat(change.reviewNotes()).isEqualTo("disk full on node 2; backed out");
        assertThat(change.closeNotes()).isEqualTo("done");
    }

    @Test
    void anEmergencyChangeIsReviewedBeforeItCloses() {
        ChangeRequest change = TestChanges.changeIn(ChangeType.EMERGENCY, ChangeState.REVIEW);
        assertThat(failedFields(() -> change.transitionTo(ChangeState.CLOSED, TestChanges.closing(CloseCode.SUCCESSFUL, null), AGENT, CLEAR, NOW)))
                .containsExactly("reviewNotes");
        change.transitionTo(ChangeState.CLOSED, TestChanges.closing(CloseCode.SUCCESSFUL, "outage fixed; the CAB confirmed the shortcut"), AGENT, CLEAR, NOW);
        assertThat(change.reviewNotes()).isEqualTo("outage fixed; the CAB confirmed the shortcut");
    }

    @Test
    void successfulChangesCloseWithoutAReview() {
        ChangeRequest change = TestChanges.changeIn(ChangeType.NORMAL, ChangeState.REVIEW);
        change.transitionTo(ChangeState.CLOSED, TestChanges.closing(CloseCode.SUCCESSFUL_WITH_ISSUES, null), AGENT, CLEAR, NOW);
        assertThat(change.state).isEqualTo(ChangeState.CLOSED);
        assertThat(change.reviewNotes()).isNull();
    }

    @Test
    void implementationRecordsItsActualStartAndEnd() {
        ChangeRequest change = TestChanges.changeIn(ChangeType.NORMAL, ChangeState.SCHEDULED);
        change.transitionTo(ChangeState.IMPLEMENT, TransitionDetails.NONE, AGENT, CLEAR, NOW);
        change.transitionTo(ChangeState.REVIEW, TransitionDetails.NONE, AGENT, CLEAR, NOW.plusSeconds(600));
        assertThat(change.actualStart()).isEqualTo(NOW);
        assertThat(change.actualEnd()).isEqualTo(NOW.plusSeconds(600));
    }

    @Test
    void theScopeIsFrozenOnceImplementationStarts() {
        ChangeRequest change = TestChanges.changeIn(ChangeType.NORMAL, ChangeState.IMPLEMENT);
        ChangeFields f = change.fields();
        ChangeFields later = new ChangeFields(f.shortDescription(), f.description(), f.justification(), f.implementationPlan(), f.backoutPlan(),
                f.testPlan(), f.configurationItemIds(), f.plannedStart(), f.plannedEnd().plusSeconds(3600), f.assignmentGroup(), f.assignee());
        assertThatThrownBy(() -> change.update(later, NOW)).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.getMessage()).contains("plannedEnd can no longer change once implementation started");
        });
        assertThat(change.plannedEnd()).as("a refused update changes nothing").isEqualTo(f.plannedEnd());
        ChangeFields reassigned = new ChangeFields(f.shortDescription(), f.description(), f.justification(), f.implementationPlan(), f.backoutPlan(),
                f.testPlan(), f.configurationItemIds(), f.plannedStart(), f.plannedEnd(), f.assignmentGroup(), "kim.ops");
        assertThat(change.update(reassigned, NOW)).containsExactly(new FieldChange("assignee", null, "kim.ops"));
    }

    @Test
    void aFinalChangeCannotBeEditedAndAWindowMustEndAfterItStarts() {
        ChangeRequest closed = TestChanges.changeIn(ChangeType.NORMAL, ChangeState.CANCELED);
        assertThatThrownBy(() -> closed.update(TestChanges.complete(), NOW))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(409));
        ChangeFields backwards = new ChangeFields("x", null, null, null, null, null, Set.of(), Instant.parse("2026-12-05T22:00:00Z"),
                Instant.parse("2026-12-05T21:00:00Z"), null, null);
        assertThatThrownBy(() -> TestChanges.change(ChangeType.NORMAL, backwards))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(422));
    }

    @Test
    void everyoneWhoMayMoveItMayCancelIt() {
        for (ChangeState state : List.of(ChangeState.NEW, ChangeState.ASSESS, ChangeState.AUTHORIZE, ChangeState.SCHEDULED,
                ChangeState.IMPLEMENT, ChangeState.REVIEW)) {
            ChangeRequest change = TestChanges.changeIn(ChangeType.NORMAL, state);
            change.transitionTo(ChangeState.CANCELED, TransitionDetails.NONE, AGENT, CLEAR, NOW);
            assertThat(change.state).isEqualTo(ChangeState.CANCELED);
        }
    }
}
