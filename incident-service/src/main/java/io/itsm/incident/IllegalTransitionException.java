package io.itsm.incident;

import java.util.Set;
import java.util.stream.Collectors;

import io.itsm.rest.ProblemException;

/** 409: the lifecycle does not allow the requested transition; the detail names the allowed next states. */
public class IllegalTransitionException extends ProblemException {

    public IllegalTransitionException(IncidentState from, IncidentState to, Set<IncidentState> allowed) {
        super(409, "illegal-transition", "Illegal state transition", "an incident in state " + from
                + " cannot move to " + to + "; allowed next states: "
                + (allowed.isEmpty() ? "none (" + from + " is final)"
                        : allowed.stream().map(Enum::name).collect(Collectors.joining(", "))));
    }
}
