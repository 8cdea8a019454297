package io.itsm.change;

/** An approver's decision on a change in AUTHORIZE. */
public enum ApprovalDecision {
    APPROVED, REJECTED
}
