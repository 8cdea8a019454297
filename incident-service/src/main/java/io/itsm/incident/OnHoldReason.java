package io.itsm.incident;

/** Why an incident is on hold; required to enter {@link IncidentState#ON_HOLD}. */
public enum OnHoldReason {
    AWAITING_CALLER, AWAITING_CHANGE, AWAITING_PROBLEM, AWAITING_VENDOR
}
