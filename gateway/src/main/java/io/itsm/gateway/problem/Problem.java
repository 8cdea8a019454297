package io.itsm.gateway.problem;

import java.util.Locale;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * An RFC 9457 problem detail as the gateway writes it ({@code application/problem+json}); its {@code type}
 * URIs follow the suite's {@code urn:itsm:problem:<slug>} convention.
 *
 * @param instance the request path the problem is about
 */
public record Problem(String type, String title, int status, String detail, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";

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

    /** The problem as a JSON object with the RFC 9457 members in their usual order. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("type", type)
                .put("title", title)
                .put("status", status)
                .put("detail", detail)
                .put("instance", instance);
    }

    /** The problem serialised as the body of a response. */
    public Buffer toBuffer() {
        return toJson().toBuffer();
    }
}
