package io.itsm.gateway.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.itsm.gateway.config.GatewayConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request whose URI is longer than {@code itsm.gateway.max-uri-length} with a 414 problem. Vert.x's own
 * limit ({@code quarkus.http.limits.max-initial-line-length}) answers with an empty body before any handler runs, so
 * the gateway takes lines far longer than that limit and draws its own, lower than what the services accept.
 */
@ApplicationScoped
public class UriLengthLimit {

    /** After the request id is assigned, with the body size check. */
    static final int ORDER = BodySizeLimit.ORDER + 1;

    void register(@Observes Router router, GatewayConfig config) {
        int limit = config.maxUriLength();
        router.route().order(ORDER).handler(rc -> check(rc, limit));
    }

    private static void check(RoutingContext rc, int limit) {
        if (rc.request().uri().length() > limit) {
            ProblemResponses.send(rc.response(), Problem.ofStatus(414,
                    "The request URI is longer than " + limit + " characters", rc.request().path()));
            return;
        }
        rc.next();
    }
}
