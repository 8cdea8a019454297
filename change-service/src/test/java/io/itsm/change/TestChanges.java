package io.itsm.change;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.itsm.rest.Roles;
import io.itsm.rest.security.Actor;

/** Changes, actors and policies for tests without Quarkus. */
final class TestChanges {

    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    static final UUID CI = UUID.fromString("00000000-0000-0000-0000-0000000000c1");

    static final Actor AGENT = new Actor("sam.agent", Set.of(Roles.AGENT));
    static final Actor MANAGER = new Actor("max.manager", Set.of(Roles.CHANGE_MANAGER));
    static final Actor CAB_1 = new Actor("cat.cab", Set.of(Roles.CAB));
    static final Actor CAB_2 = new Actor("cole.cab", Set.of(Roles.CAB));
    static final Actor ADMIN = new Actor("ada.admin", Set.of(Roles.ADMIN));
    /** Holds every role that moves changes, to test the table apart from the role checks. */
    static final Actor EVERYONE = new Actor("eve", Set.of(Roles.AGENT, Roles.CHANGE_MANAGER, Roles.ADMIN));

    static final ApprovalPolicy POLICY = new ApprovalPolicy(Map.of(
            RiskLevel.LOW, List.of(new ApprovalRequirement(Roles.CHANGE_MANAGER, 1)),
            RiskLevel.MODERATE, List.of(new ApprovalRequirement(Roles.CAB, 2)),
            RiskLevel.HIGH, List.of(new ApprovalRequirement(Roles.CAB, 2)),
            RiskLevel.VERY_HIGH, List.of(new ApprovalRequirement(Roles.CAB, 2), new ApprovalRequirement(Roles.ADMIN, 1))),
            List.of(new ApprovalRequirement(Roles.CAB, 1)));

    static final ChangeRequest.GuardInputs CLEAR = new ChangeRequest.GuardInputs(ApprovalStatus.NOT_NEEDED, List.of());

    private TestChanges() {
    }

    /** A change with everything its guards ask for: plans, one CI and a window. */
    static ChangeFields complete() {
        return new ChangeFields("Patch mail", null, "CVE", "drain, patch, rejoin", "restore snapshot", "send a test mail",
                Set.of(CI), Instant.parse("2026-12-05T22:00:00Z"), Instant.parse("2026-12-05T23:30:00Z"), "ops", null);
    }

    static ChangeFields bare() {
        return new ChangeFields("Patch mail", null, null, null, null, null, Set.of(), null, null, null, null);
    }

    static ChangeRequest change(ChangeType type, ChangeFields fields) {
        return ChangeRequest.raise("CHG0010001", type, null, fields, "sam.agent", NOW);
    }

    /** A complete change put straight into {@code state} (as if it had got there), for table-driven tests. */
    static ChangeRequest changeIn(ChangeType type, ChangeState state) {
        ChangeRequest change = change(type, complete());
        change.state = state;
        return change;
    }

    static TransitionDetails closing(CloseCode code, String review) {
        return new TransitionDetails(code, "done", review, null);
    }
}
