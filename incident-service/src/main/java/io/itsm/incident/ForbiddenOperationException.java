package io.itsm.incident;

import io.itsm.rest.ProblemException;

/** The caller's roles do not allow this operation on this incident (e.g. canceling a major incident). → 403. */
public class ForbiddenOperationException extends ProblemException {

    public ForbiddenOperationException(String detail) {
        super(403, "forbidden", "Forbidden", detail);
    }
}
