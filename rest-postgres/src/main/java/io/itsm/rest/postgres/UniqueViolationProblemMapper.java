package io.itsm.rest.postgres;

import java.net.URI;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.hibernate.exception.ConstraintViolationException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.itsm.rest.Problem;
import io.itsm.rest.ProblemMapper;

/**
 * Two requests raced for a value that must be unique (SQLSTATE 23505): both checked that it was free, the other one
 * wrote it first. The loser gets the 409 that the check gives when there is no race, naming the field and the value
 * from PostgreSQL's detail ({@code Key (name)=(…) already exists}); its transaction is rolled back, so nothing of it
 * is written. Any other constraint violation is a defect of the service: a 500.
 */
public class UniqueViolationProblemMapper {

    private static final Pattern KEY = Pattern.compile("Key \\(([^)]+)\\)=\\((.*?)\\) already exists");

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        if (!"23505".equals(e.getSQLState())) {
            return ProblemMapper.internalError(e, uri);
        }
        String field = null;
        String value = null;
        for (Throwable t = e; t != null && field == null; t = t.getCause()) {
            Matcher m = KEY.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                field = camelCase(m.group(1));
                value = m.group(2);
            }
        }
        String message = field == null ? "is taken by another resource" : "'" + value + "' is taken by another resource";
        URI instance = ProblemMapper.instance(uri);
        return ProblemMapper.respond(new Problem(Problem.type("conflict"), "Conflict", 409,
                field == null ? "a value of the request " + message : field + " " + message, instance,
                field == null ? null : List.of(new Problem.FieldError(field, message))));
    }

    /** {@code short_description} → {@code shortDescription}; several columns stay as PostgreSQL lists them. */
    private static String camelCase(String column) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : column.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
