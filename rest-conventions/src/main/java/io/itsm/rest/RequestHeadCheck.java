package io.itsm.rest;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers, with a problem and before any other route reads the request, what Quarkus would otherwise answer with an
 * empty body: a request target that is not a URI (a {@code %} not followed by two hex digits, as in {@code ?q=100%},
 * or an unencoded {@code |}, {@code {} or {@code <}: 400 naming the part at fault), one longer than
 * {@code itsm.http.max-uri-length} (414), and headers beyond {@code itsm.http.max-header-size} (431 naming the
 * largest). Quarkus's URI check is off ({@link ServiceMain}) and its size limits are far above these.
 */
@ApplicationScoped
public class RequestHeadCheck {

    /** Before every route of Quarkus's and the application's that reads the path. */
    static final int ORDER = Integer.MIN_VALUE;

    void register(@Observes Router router, ObjectMapper json, HttpLimitsConfig limits) {
        router.route().order(ORDER).handler(rc -> check(rc, json, limits));
    }

    private static void check(RoutingContext rc, ObjectMapper json, HttpLimitsConfig limits) {
        Problem problem = problemWith(rc.request().uri(), rc.request().headers(), limits);
        if (problem == null) {
            rc.next();
            return;
        }
        try {
            rc.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(Buffer.buffer(json.writeValueAsBytes(problem)));
        } catch (JsonProcessingException e) {
            rc.fail(problem.status(), e);
        }
    }

    /** The problem with this request's head, or null when there is none. */
    static Problem problemWith(String uri, MultiMap headers, HttpLimitsConfig limits) {
        if (uri.length() > limits.maxUriLength()) {
            return new Problem(Problem.type("request-uri-too-long"), "Request-URI Too Long", 414,
                    "The request URI is longer than " + limits.maxUriLength() + " characters", null, null);
        }
        Problem malformed = malformed(uri);
        if (malformed != null) {
            return malformed;
        }
        int size = 0;
        Map.Entry<String, String> largest = null;
        for (Map.Entry<String, String> header : headers) {
            size += header.getKey().length() + header.getValue().length() + 4; // ": " and CRLF
            if (largest == null || header.getValue().length() > largest.getValue().length()) {
                largest = header;
            }
        }
        if (size > limits.maxHeaderSize()) {
            return new Problem(Problem.type("request-header-fields-too-large"), "Request Header Fields Too Large", 431,
                    "The request headers take " + size + " bytes, more than " + limits.maxHeaderSize() + "; the largest is "
                            + largest.getKey() + " (" + largest.getValue().length() + " bytes)",
                    null, null);
        }
        return null;
    }

    /** The 400 problem for a request target that is not a URI; null for a valid one. */
    static Problem malformed(String uri) {
        try {
            new URI(uri);
            return null;
        } catch (URISyntaxException e) {
            int query = uri.indexOf('?');
            String part = query >= 0 && e.getIndex() > query ? "query" : "path";
            String message = "is not a valid URI " + part + ": " + e.getReason() + " at character " + (e.getIndex() + 1);
            return new Problem(Problem.type("malformed-request"), "Malformed request", 400, part + " " + message, null,
                    List.of(new Problem.FieldError(part, message)));
        }
    }
}
