package io.itsm.rest;

import java.util.List;

/**
 * An error a client caused, carrying everything its problem+json answer needs. Services throw the subclass
 * that names the situation; the mapping to a response happens once, in {@link ProblemMapper}.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;
    private final List<Problem.FieldError> errors;

    public ProblemException(int status, String slug, String title, String detail, List<Problem.FieldError> errors) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = errors == null || errors.isEmpty() ? null : List.copyOf(errors);
    }

    public ProblemException(int status, String slug, String title, String detail) {
        this(status, slug, title, detail, null);
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    /** 404: the resource does not exist. */
    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(404, "not-found", "Not found", what + " " + id + " does not exist");
    }

    /** 409: the request conflicts with the resource's current state (illegal transition, duplicate). */
    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "conflict", "Conflict", detail);
    }

    /** 422: well-formed, but semantically impossible (e.g. it names a CI that does not exist). */
    public static ProblemException unprocessable(String field, String message) {
        return new ProblemException(422, "unprocessable", "Unprocessable request", field + " " + message,
                List.of(new Problem.FieldError(field, message)));
    }

    /** 400: several fields are invalid in ways Bean Validation could not express. */
    public static ProblemException invalid(List<Problem.FieldError> errors) {
        return new ProblemException(400, "validation-failed", "Validation failed", Problem.FieldError.summary(errors), errors);
    }

    /** 400: a field is invalid in a way Bean Validation could not express. */
    public static ProblemException invalid(String field, String message) {
        return new ProblemException(400, "validation-failed", "Validation failed", field + " " + message,
                List.of(new Problem.FieldError(field, message)));
    }
}
