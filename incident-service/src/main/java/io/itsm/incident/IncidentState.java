package io.itsm.incident;

/** The ITIL incident states. */
public enum IncidentState {
    NEW, IN_PROGRESS, ON_HOLD, RESOLVED, CLOSED, CANCELED
}
