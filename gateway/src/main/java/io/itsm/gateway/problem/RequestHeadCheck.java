package io.itsm.gateway.problem;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.itsm.gateway.config.GatewayConfig;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request the gateway will not forward because of its head with a problem: a URI longer than
 * {@code itsm.gateway.max-uri-length} (414), one that is not a URI at all (a {@code %} not followed by two hex
 * digits, as in {@code ?q=100%}, or an unencoded {@code |}, {@code {} or {@code <}: 400 naming the part at fault),
 * headers beyond {@code itsm.gateway.max-header-size} (431 naming the largest). Vert.x's limits on the request line and
 * headers ({@code quarkus.http.limits.*}) and Quarkus's own URI check answer with an empty body before any handler
 * runs, so the limits are set far above these and the check is turned off ({@code vertx.disableURIValidation}, set by
 * {@code GatewayMain}) for this one to take their place.
 */
@ApplicationScoped
public class RequestHeadCheck {

    /**
     * Right after the request id and trace context, before any handler that reads the path (normalising a path
     * decodes it, which fails on a malformed escape).
     */
    static final int ORDER = Integer.MIN_VALUE + 12;

    void register(@Observes Router router, GatewayConfig config) {
        router.route().order(ORDER).handler(rc -> check(rc, config.maxUriLength(), config.maxHeaderSize()));
    }

    private static void check(RoutingContext rc, int maxUriLength, int maxHeaderSize) {
        String uri = rc.request().uri();
        if (uri.length() > maxUriLength) {
            ProblemResponses.send(rc.response(), Problem.ofStatus(414,
                    "The request URI is longer than " + maxUriLength + " characters", rc.request().path()));
            return;
        }
        Problem problem = malformed(uri);
        if (problem == null) {
            problem = headersBeyond(maxHeaderSize, rc.request().headers(), rc.request().path());
        }
        if (problem != null) {
            ProblemResponses.send(rc.response(), problem);
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

    private static Problem headersBeyond(int limit, MultiMap headers, String path) {
        int size = 0;
        Map.Entry<String, String> largest = null;
        for (Map.Entry<String, String> header : headers) {
            size += header.getKey().length() + header.getValue().length() + 4; // ": " and CRLF
            if (largest == null || header.getValue().length() > largest.getValue().length()) {
                largest = header;
            }
        }
        return size <= limit ? null : Problem.ofStatus(431, "The request headers take " + size + " bytes, more than "
                + limit + "; the largest is " + largest.getKey() + " (" + largest.getValue().length() + " bytes)", path);
    }
}
