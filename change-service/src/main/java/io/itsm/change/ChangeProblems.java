package io.itsm.change;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.itsm.rest.Problem;
import io.itsm.rest.ProblemException;

/** The problems the change aggregate reports: each is an RFC 9457 answer that names what the client can fix. */
public final class ChangeProblems {

    private ChangeProblems() {
    }

    /** 409: the type's lifecycle does not lead from {@code from} to {@code to}; the detail names the allowed next states. */
    public static ProblemException illegalTransition(ChangeRequest change, ChangeState to) {
        Set<ChangeState> allowed = ChangeLifecycle.allowedFrom(change.type, change.state);
        return new ProblemException(409, "illegal-transition", "Illegal state transition", "a " + change.type + " change in state "
                + change.state + " cannot move to " + to + "; allowed next states: "
                + (allowed.isEmpty() ? "none (" + change.state + " is final)" : names(allowed)));
    }

    /** 409: a guard of the transition does not hold; each unmet condition is an entry of {@code errors}. */
    public static ProblemException guardFailed(ChangeRequest change, ChangeState to, List<Problem.FieldError> missing) {
        return new ProblemException(409, "transition-guard-failed", "Transition not possible yet", change.number + " cannot move to "
                + to + " yet: " + Problem.FieldError.summary(missing), missing);
    }

    /** 409: the change is CLOSED or CANCELED. */
    public static ProblemException isFinal(ChangeRequest change) {
        return ProblemException.conflict(change.number + " is " + change.state + " and can no longer change");
    }

    /** 403: the caller lacks the role this step needs. */
    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", "Forbidden", detail);
    }

    static String names(Set<? extends Enum<?>> values) {
        return values.stream().map(Enum::name).collect(Collectors.joining(", "));
    }
}
