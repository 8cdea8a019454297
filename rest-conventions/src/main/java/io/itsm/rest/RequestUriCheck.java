package io.itsm.rest;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request target that is not a URI (a {@code %} not followed by two hex digits, as in {@code ?q=100%}, or an
 * unencoded {@code |}, {@code {} or {@code <}) with a 400 problem naming the part at fault, before any other route
 * reads the path. Quarkus's own check, which answers with an empty body, is off ({@link ServiceMain}).
 */
@ApplicationScoped
public class RequestUriCheck {

    /** Before every route of Quarkus's and the application's that reads the path. */
    static final int ORDER = Integer.MIN_VALUE;

    void register(@Observes Router router, ObjectMapper json) {
        router.route().order(ORDER).handler(rc -> check(rc, json));
    }

    private void check(RoutingContext rc, ObjectMapper json) {
        Problem malformed = malformed(rc.request().uri());
        if (malformed == null) {
            rc.next();
            return;
        }
        try {
            rc.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(Buffer.buffer(json.writeValueAsBytes(malformed)));
        } catch (JsonProcessingException e) {
            rc.fail(400, e);
        }
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
