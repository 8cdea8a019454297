package io.itsm.gateway.problem;

import java.net.URI;
import java.net.URISyntaxException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.itsm.gateway.config.GatewayConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request URI the gateway will not forward with a problem: one longer than
 * {@code itsm.gateway.max-uri-length} with 414, one that is not a URI at all (a {@code %} not followed by two hex
 * digits, as in {@code ?q=100%}, or an unencoded space, {@code |} or {@code {}) with 400 naming the part at fault.
 * Vert.x's limit on the request line ({@code quarkus.http.limits.max-initial-line-length}) and Quarkus's own URI
 * check answer with an empty body before any handler runs, so the first is set far above this limit and the
 * second is turned off ({@code vertx.disableURIValidation}, set by {@code GatewayMain}) for this check to take its
 * place.
 */
@ApplicationScoped
public class RequestUriCheck {

    /**
     * Right after the request id and trace context, before any handler that reads the path (normalising a path
     * decodes it, which fails on a malformed escape).
     */
    static final int ORDER = Integer.MIN_VALUE + 12;

    void register(@Observes Router router, GatewayConfig config) {
        int limit = config.maxUriLength();
        router.route().order(ORDER).handler(rc -> check(rc, limit));
    }

    private static void check(RoutingContext rc, int limit) {
        String uri = rc.request().uri();
        if (uri.length() > limit) {
            ProblemResponses.send(rc.response(), Problem.ofStatus(414,
                    "The request URI is longer than " + limit + " characters", rc.request().path()));
            return;
        }
        Problem malformed = malformed(uri);
        if (malformed != null) {
            ProblemResponses.send(rc.response(), malformed);
            return;
        }
        rc.next();
    }

    /** The 400 problem for a request target that is not a URI, naming the part at fault; null for a valid one. */
    static Problem malformed(String uri) {
        try {
            new URI(uri);
            return null;
        } catch (URISyntaxException e) {
            int query = uri.indexOf('?');
            String part = query >= 0 && e.getIndex() > query ? "query" : "path";
            return Problem.malformedRequest(part,
                    "is not a valid URI " + part + ": " + e.getReason() + " at character " + (e.getIndex() + 1));
        }
    }
}
