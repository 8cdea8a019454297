package io.itsm.cmdb.reconcile;

/** What an import did with one item or relationship. */
public enum ReconcileOutcome {
    CREATED, UPDATED, UNCHANGED, AMBIGUOUS, INVALID
}
