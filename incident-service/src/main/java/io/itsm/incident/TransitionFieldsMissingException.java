package io.itsm.incident;

import java.util.List;
import java.util.stream.Collectors;

import io.itsm.rest.Problem;
import io.itsm.rest.ProblemException;

/** 400: the transition needs fields the request did not supply; each is named in {@code errors}. */
public class TransitionFieldsMissingException extends ProblemException {

    public TransitionFieldsMissingException(IncidentState to, List<Problem.FieldError> errors) {
        super(400, "validation-failed", "Validation failed", "a transition to " + to + " needs "
                + errors.stream().map(e -> e.field() + " (" + e.message() + ")").collect(Collectors.joining(", ")),
                errors);
    }
}
