package io.itsm.gateway.problem;

import java.util.List;
import java.util.Locale;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An RFC 9457 problem detail as the gateway writes it ({@code application/problem+json}); its {@code type}
 * URIs follow the suite's {@code urn:itsm:problem:<slug>} convention.
 *
 * @param instance the request path the problem is about; none when the path is not a URI reference
 * @param errors for a malformed request: each offending part of it and why, as the services write them
 */
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One part of the request that was refused, and why. */
    public record FieldError(String field, String message) {
    }

    public Problem(String type, String title, int status, String detail, String instance) {
        this(type, title, status, detail, instance, null);
    }

    /** The upstream service that should answer this request could not be reached in time. */
    public static Problem upstreamUnavailable(String service, String reason, String instance) {
        return new Problem("urn:itsm:problem:upstream-unavailable", "Service Unavailable", 503,
                service + " is unavailable: " + reason, instance);
    }

    /** A problem for a bare HTTP status, titled with the status's reason phrase. */
    public static Problem ofStatus(int status, String detail, String instance) {
        String reason = HttpResponseStatus.valueOf(status).reasonPhrase();
        String slug = reason.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return new Problem("urn:itsm:problem:" + (slug.isEmpty() ? "http-" + status : slug), reason, status,
                detail, instance);
    }

    /** A 400 for a request that cannot be read as HTTP asks (the same type and title as the services' own). */
    public static Problem malformedRequest(String field, String message) {
        return new Problem("urn:itsm:problem:malformed-request", "Malformed request", 400, field + " " + message, null,
                List.of(new FieldError(field, message)));
    }

    /** The problem as a JSON object with the RFC 9457 members in their usual order. */
    public JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("type", type)
                .put("title", title)
                .put("status", status)
                .put("detail", detail);
        if (instance != null) {
            json.put("instance", instance);
        }
        if (errors != null) {
            JsonArray list = new JsonArray();
            errors.forEach(e -> list.add(new JsonObject().put("field", e.field()).put("message", e.message())));
            json.put("errors", list);
        }
        return json;
    }

    /** The problem serialised as the body of a response. */
    public Buffer toBuffer() {
        return toJson().toBuffer();
    }
}
