package io.itsm.incident;

/** How an incident was resolved; required to enter {@link IncidentState#RESOLVED}. */
public enum ResolutionCode {
    SOLUTION_PROVIDED, WORKAROUND_PROVIDED, RESOLVED_BY_CHANGE, DUPLICATE, NOT_REPRODUCIBLE, RESOLVED_BY_CALLER, KNOWN_ERROR
}
