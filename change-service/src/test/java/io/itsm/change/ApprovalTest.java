package io.itsm.change;

import static io.itsm.change.TestChanges.ADMIN;
import static io.itsm.change.TestChanges.CAB_1;
import static io.itsm.change.TestChanges.CAB_2;
import static io.itsm.change.TestChanges.CLEAR;
import static io.itsm.change.TestChanges.MANAGER;
import static io.itsm.change.TestChanges.NOW;
import static io.itsm.change.TestChanges.POLICY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.itsm.rest.Roles;
import io.itsm.rest.ProblemException;
import io.itsm.rest.security.Actor;

/** The approval policy, quorum, one decision per approver and round, and rejection. */
class ApprovalTest {

    private static ChangeRequest authorizing(ChangeType type, RiskLevel risk) {
        ChangeRequest change = TestChanges.changeIn(type, ChangeState.AUTHORIZE);
        change.assessRisk(risk, 0, "[]", NOW);
        return change;
    }

    private static List<ApprovalRequirement> required(ChangeRequest change) {
        return POLICY.requiredFor(change);
    }

    private static int status(Runnable action) {
        try {
            action.run();
        } catch (ProblemException e) {
            return e.status();
        }
        return 200;
    }

    @Test
    void thePolicyFollowsTypeAndRisk() {
        assertThat(POLICY.requiredFor(ChangeType.STANDARD, RiskLevel.VERY_HIGH)).isEmpty();
        assertThat(POLICY.requiredFor(ChangeType.EMERGENCY, RiskLevel.LOW)).containsExactly(new ApprovalRequirement(Roles.CAB, 1));
        assertThat(POLICY.requiredFor(ChangeType.NORMAL, RiskLevel.LOW)).containsExactly(new ApprovalRequirement(Roles.CHANGE_MANAGER, 1));
        assertThat(POLICY.requiredFor(ChangeType.NORMAL, RiskLevel.HIGH)).containsExactly(new ApprovalRequirement(Roles.CAB, 2));
        assertThat(POLICY.requiredFor(ChangeType.NORMAL, RiskLevel.VERY_HIGH))
                .containsExactly(new ApprovalRequirement(Roles.CAB, 2), new ApprovalRequirement(Roles.ADMIN, 1));
        assertThat(POLICY.requiredFor(ChangeType.NORMAL, null)).as("unassessed counts as the highest risk")
                .isEqualTo(POLICY.requiredFor(ChangeType.NORMAL, RiskLevel.VERY_HIGH));
    }

    @Test
    void aCabQuorumNeedsTwoDifferentCabMembers() {
        ChangeRequest change = authorizing(ChangeType.NORMAL, RiskLevel.MODERATE);
        assertThat(change.approvalStatus(required(change)).missing()).containsExactly("2 more approvals by itsm-cab");
        change.decide(CAB_1, ApprovalDecision.APPROVED, "ok", required(change), NOW);
        assertThat(change.approvalStatus(required(change))).isEqualTo(new ApprovalStatus(false, List.of("1 more approval by itsm-cab")));
        assertThat(status(() -> change.decide(CAB_1, ApprovalDecision.APPROVED, "again", required(change), NOW))).as("one decision per approver").isEqualTo(409);
        assertThat(status(() -> change.decide(MANAGER, ApprovalDecision.APPROVED, null, required(change), NOW))).as("not a CAB member").isEqualTo(403);
        change.decide(CAB_2, ApprovalDecision.APPROVED, null, required(change), NOW);
        assertThat(change.approvalStatus(required(change)).satisfied()).isTrue();
        assertThat(change.approvals()).extracting(a -> a.approver + "/" + a.role + "/" + a.decision + "/" + a.round)
                .containsExactly("cat.cab/itsm-cab/APPROVED/1", "cole.cab/itsm-cab/APPROVED/1");

        change.transitionTo(ChangeState.SCHEDULED, TransitionDetails.NONE, MANAGER,
                new ChangeRequest.GuardInputs(change.approvalStatus(required(change)), List.of()), NOW);
        assertThat(change.state).isEqualTo(ChangeState.SCHEDULED);
    }

    @Test
    void aLowRiskChangeNeedsOneChangeManager() {
        ChangeRequest change = authorizing(ChangeType.NORMAL, RiskLevel.LOW);
        assertThat(status(() -> change.decide(CAB_1, ApprovalDecision.APPROVED, null, required(change), NOW))).isEqualTo(403);
        change.decide(MANAGER, ApprovalDecision.APPROVED, null, required(change), NOW);
        assertThat(change.approvalStatus(required(change)).satisfied()).isTrue();
    }

    @Test
    void aVeryHighRiskChangeNeedsTheCabAndAnAdmin() {
        ChangeRequest change = authorizing(ChangeType.NORMAL, RiskLevel.VERY_HIGH);
        Actor cabAndAdmin = new Actor("boss", Set.of(Roles.CAB, Roles.ADMIN));
        change.decide(cabAndAdmin, ApprovalDecision.APPROVED, null, required(change), NOW);
        change.decide(CAB_1, ApprovalDecision.APPROVED, null, required(change), NOW);
        assertThat(change.approvalStatus(required(change)).missing()).containsExactly("1 more approval by itsm-admin");
        change.decide(ADMIN, ApprovalDecision.APPROVED, null, required(change), NOW);
        assertThat(change.approvalStatus(required(change)).satisfied()).isTrue();
        assertThat(change.approvals()).extracting(a -> a.role).containsExactly(Roles.CAB, Roles.CAB, Roles.ADMIN);
    }

    @Test
    void anEmergencyChangeNeedsOneCabMember() {
        ChangeRequest change = authorizing(ChangeType.EMERGENCY, RiskLevel.VERY_HIGH);
        change.decide(CAB_2, ApprovalDecision.APPROVED, "go", required(change), NOW);
        assertThat(change.approvalStatus(required(change)).satisfied()).isTrue();
    }

    @Test
    void aRejectionReturnsTheChangeToNewAndTheNextRoundStartsAfresh() {
        ChangeRequest change = authorizing(ChangeType.NORMAL, RiskLevel.HIGH);
        change.decide(CAB_1, ApprovalDecision.APPROVED, null, required(change), NOW);
        change.decide(CAB_2, ApprovalDecision.REJECTED, "overlaps month-end close", required(change), NOW);
        assertThat(change.state).isEqualTo(ChangeState.NEW);
        assertThat(change.rejectionReason()).isEqualTo("cole.cab: overlaps month-end close");
        assertThat(change.approvalRound()).isEqualTo(2);
        assertThat(status(() -> change.decide(CAB_1, ApprovalDecision.APPROVED, null, required(change), NOW))).as("not in AUTHORIZE").isEqualTo(409);

        change.transitionTo(ChangeState.ASSESS, TransitionDetails.NONE, MANAGER, CLEAR, NOW);
        change.transitionTo(ChangeState.AUTHORIZE, TransitionDetails.NONE, MANAGER, CLEAR, NOW);
        assertThat(change.rejectionReason()).isNull();
        assertThat(change.approvalStatus(required(change)).missing()).as("round 1 approvals do not count").containsExactly("2 more approvals by itsm-cab");
        change.decide(CAB_1, ApprovalDecision.APPROVED, null, required(change), NOW);
        change.decide(CAB_2, ApprovalDecision.APPROVED, null, required(change), NOW);
        assertThat(change.approvalStatus(required(change)).satisfied()).isTrue();
        assertThat(change.approvals()).hasSize(4);
    }

    @Test
    void decisionsOutsideAuthorizeAreRefused() {
        for (ChangeState state : ChangeState.values()) {
            if (state != ChangeState.AUTHORIZE) {
                ChangeRequest change = TestChanges.changeIn(ChangeType.NORMAL, state);
                assertThat(status(() -> change.decide(MANAGER, ApprovalDecision.APPROVED, null, List.of(new ApprovalRequirement(Roles.CHANGE_MANAGER, 1)), NOW)))
                        .as(state.name()).isEqualTo(409);
            }
        }
    }

    @Test
    void requirementsParseFromConfiguration() {
        assertThat(ApprovalRequirement.parse(" itsm-cab:3 ")).isEqualTo(new ApprovalRequirement("itsm-cab", 3));
        assertThat(ApprovalRequirement.parse("itsm-admin")).isEqualTo(new ApprovalRequirement("itsm-admin", 1));
        for (String bad : List.of("itsm-cab:0", "itsm-cab:x", ":2", "a:1:2")) {
            assertThatThrownBy(() -> ApprovalRequirement.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
