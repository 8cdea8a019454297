package io.itsm.rest;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.itsm.rest.json.StrictJson;

/**
 * Turns every exception a request can raise into an RFC 9457 {@code application/problem+json} answer, in
 * one place for the whole suite: validation, unreadable JSON, HTTP errors, the services' own
 * {@link ProblemException}s, and, for anything unexpected, a 500 that names an error id and never a stack
 * trace.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    private static final String RETRY_AFTER_SECONDS = "5";

    @Inject
    AllowHeader allowHeader;

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(new Problem(Problem.type(e.slug()), e.title(), e.status(), e.getMessage(), instance(uri), e.errors()));
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            errors.add(new Problem.FieldError(fieldOf(v.getPropertyPath()), v.getMessage() + choices(v)));
        }
        errors.sort(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message));
        String detail = Problem.FieldError.summary(errors);
        return respond(new Problem(Problem.type("validation-failed"), "Validation failed", 400, detail, instance(uri), errors));
    }

    /** Takes precedence over Quarkus's built-in mapper for this exact type, which answers plain JSON. */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        String field = e instanceof JsonMappingException m ? fieldPath(m) : null;
        String message;
        if (e instanceof JsonParseException) {
            message = "is not valid JSON: " + e.getOriginalMessage();
            field = field == null || field.isEmpty() ? "body" : field;
        } else if (e instanceof UnrecognizedPropertyException u) {
            message = unknownField(u.getKnownPropertyIds());
            field = fieldPath(u);
        } else if (e instanceof InvalidFormatException f && StrictJson.NUL_MESSAGE.equals(f.getOriginalMessage())) {
            message = StrictJson.NUL_MESSAGE;
        } else if (e instanceof InvalidFormatException f) {
            message = "has an invalid value " + quote(f.getValue()) + expectedType(f.getTargetType());
        } else if (e instanceof MismatchedInputException m) {
            message = "has the wrong type" + expectedType(m.getTargetType());
        } else {
            message = "could not be read: " + e.getOriginalMessage();
        }
        if (field == null || field.isEmpty()) {
            field = "body";
        }
        return malformed(field, message, uri);
    }

    /** 400 {@code malformed-request} about one field or parameter: what it is and why it was refused. */
    public static Response malformed(String field, String message, UriInfo uri) {
        return respond(new Problem(Problem.type("malformed-request"), "Malformed request", 400, field + " " + message,
                instance(uri), List.of(new Problem.FieldError(field, message))));
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, UriInfo uri, Request request) {
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            return unreadableJson(unreadable, uri); // the JSON reader wraps its parse errors
        }
        int status = e.getResponse().getStatus();
        Optional<String> allow = Optional.empty();
        if ((status == 404 || status == 405) && uri != null && request != null) {
            Optional<AllowedMethods.Allowed> known = allowHeader.allowedMethods().at(uri.getPath());
            // RESTEasy Reactive answers 404 for a method of a path that another resource class also serves
            // (PUT /api/incidents/{id}/notes): the path exists, the method does not, which is a 405
            if (known.isPresent() && (status == 405 || !known.get().allows(request.getMethod()))) {
                allow = known.map(AllowedMethods.Allowed::header);
                status = 405;
            }
        }
        if (status >= 500) {
            return unexpected(e, uri);
        }
        String detail = switch (status) {
            case 404 -> "no resource at " + (uri == null ? "this path" : "/" + uri.getPath().replaceFirst("^/", ""));
            case 405 -> "this method is not allowed on this resource";
            case 406 -> "the response can only be application/json or application/problem+json";
            case 415 -> "the request body must be application/json";
            default -> e.getMessage();
        };
        Response.ResponseBuilder builder = Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(ofStatus(status, detail, instance(uri)));
        if (status == e.getResponse().getStatus()) {
            // keep headers the original response carried (an Allow of RESTEasy's only where ours is not known)
            boolean ownAllow = allow.isPresent();
            e.getResponse().getHeaders().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")
                        && !(ownAllow && name.equalsIgnoreCase("Allow"))) {
                    values.forEach(v -> builder.header(name, v));
                }
            });
        }
        allow.ifPresent(methods -> builder.header("Allow", methods));
        return builder.build();
    }

    /** No or an invalid bearer token (with proactive authentication off, so that it reaches this mapper). */
    @ServerExceptionMapper({io.quarkus.security.UnauthorizedException.class, io.quarkus.security.AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e, UriInfo uri) {
        Problem problem = new Problem(Problem.type("unauthorized"), "Unauthorized", 401,
                "this endpoint needs a valid bearer token (Authorization: Bearer <JWT>)", instance(uri), null);
        return Response.status(401).type(Problem.MEDIA_TYPE).header("WWW-Authenticate", "Bearer").entity(problem).build();
    }

    /** A valid token whose roles do not include one the endpoint allows. */
    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e, UriInfo uri) {
        return respond(new Problem(Problem.type("forbidden"), "Forbidden", 403,
                "your roles do not allow this operation", instance(uri), null));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        return internalError(e, uri);
    }

    /** A 500 naming a fresh error id, logged with the cause: for what no mapper knows. */
    public static Response internalError(Throwable e, UriInfo uri) {
        return respond(internalErrorProblem(e, uri == null ? "?" : uri.getPath(), instance(uri)));
    }

    /** The problem of {@link #internalError}: logs the cause under a fresh error id that the answer names. */
    static Problem internalErrorProblem(Throwable e, String where, URI instance) {
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error %s on %s", errorId, where);
        return new Problem(Problem.type("internal-error"), "Internal error", 500,
                "the service failed to handle the request; quote error id " + errorId + " when reporting it",
                instance, null);
    }

    /**
     * A 503 with {@code Retry-After} for a service whose datastore cannot be reached right now: the client may retry,
     * and readiness reports the same outage to the orchestrator.
     */
    public static Response serviceUnavailable(String detail, UriInfo uri) {
        return Response.status(503).type(Problem.MEDIA_TYPE).header("Retry-After", RETRY_AFTER_SECONDS)
                .entity(new Problem(Problem.type("service-unavailable"), "Service unavailable", 503, detail, instance(uri), null))
                .build();
    }

    /** The problem as the whole answer, {@code application/problem+json} with its status. */
    public static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** The request path as a problem's {@code instance}; null when there is none or it is not a URI reference. */
    public static URI instance(UriInfo uri) {
        if (uri == null) {
            return null;
        }
        try {
            return URI.create("/" + uri.getPath().replaceFirst("^/", ""));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code create.request.impact} → {@code impact}: drop the method and parameter nodes. */
    /** For a missing value of an enum field, the values it takes (": one of INTERNAL, CUSTOMER"); else nothing. */
    private static String choices(ConstraintViolation<?> v) {
        if (v.getInvalidValue() != null || v.getLeafBean() == null || !v.getLeafBean().getClass().isRecord()) {
            return "";
        }
        String name = null;
        for (Path.Node node : v.getPropertyPath()) {
            name = node.getName();
        }
        for (java.lang.reflect.RecordComponent component : v.getLeafBean().getClass().getRecordComponents()) {
            if (component.getName().equals(name) && component.getType().isEnum()) {
                return ": one of " + java.util.Arrays.stream(component.getType().getEnumConstants()).map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(", "));
            }
        }
        return "";
    }

    private static String fieldOf(Path path) {
        List<String> names = new ArrayList<>();
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.PARAMETER
                    || node.getKind() == ElementKind.RETURN_VALUE) {
                if (node.getKind() == ElementKind.PARAMETER) {
                    names.clear();
                }
                continue;
            }
            String name = node.getName();
            if (node.getIndex() != null && !names.isEmpty()) {
                names.set(names.size() - 1, names.get(names.size() - 1) + "[" + node.getIndex() + "]");
            }
            if (name != null && !name.startsWith("<")) {
                names.add(name);
            }
        }
        if (names.isEmpty()) {
            // a violation on a query or path parameter: the parameter's name is the field
            String last = null;
            for (Path.Node node : path) {
                last = node.getName();
            }
            return last == null ? "body" : last;
        }
        return String.join(".", names);
    }

    /** Why a body field is refused that its type does not have, naming those it has (the misspelt field's right name). */
    public static String unknownField(java.util.Collection<?> known) {
        if (known == null || known.isEmpty()) {
            return "is not a known field";
        }
        return "is not a known field; the fields here are " + known.stream().map(String::valueOf).sorted()
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** The field a JSON mapping error is about, as {@code errors[].field} names it: {@code items[3].attributes}. */
    public static String fieldPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String expectedType(Class<?> type) {
        if (type == null) {
            return "";
        }
        if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            List<String> names = new ArrayList<>();
            for (Object c : constants) {
                names.add(((Enum<?>) c).name());
            }
            return ": expected one of " + String.join(", ", names);
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return ": expected a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return ": expected true or false";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return ": expected an ISO-8601 timestamp such as 2026-01-31T12:00:00Z";
        }
        if (type == UUID.class) {
            return ": expected a UUID";
        }
        if (type == String.class) {
            return ": expected a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return ": expected an array";
        }
        return ": expected an object";
    }

    private static String quote(Object value) {
        String text = String.valueOf(value);
        return "\"" + (text.length() > 60 ? text.substring(0, 60) + "…" : text) + "\"";
    }

    /** A problem for a bare HTTP status, titled with its reason phrase ({@code urn:itsm:problem:not-found}, …). */
    public static Problem ofStatus(int status, String detail, URI instance) {
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "HTTP " + status : type.getReasonPhrase();
        return new Problem(Problem.type(slug(title)), title, status, detail, instance, null);
    }

    private static String slug(String title) {
        return title.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
