package io.itsm.gateway.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.itsm.gateway.problem.Problem;
import io.itsm.gateway.problem.ProblemResponses;
import io.itsm.gateway.routing.Upstream;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request to {@code /api/**} that carries no bearer token with a 401 problem at once. Quarkus's own
 * challenge for an anonymous request is an empty 401; a token that is present but invalid, or lacks a role, fails
 * in the security layer and becomes a problem in {@link ProblemResponses}. CORS preflights carry no token and pass.
 */
@ApplicationScoped
public class BearerRequired {

    /**
     * After CORS (filter priority 300, route order -300), so a browser sees this 401 with its CORS headers, and
     * before Quarkus's authentication (-200).
     */
    static final int ORDER = -250;

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext rc) {
        if (rc.request().method() != HttpMethod.OPTIONS && Upstream.forPath(rc.normalizedPath()) != null
                && !hasBearer(rc.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            rc.response().putHeader("WWW-Authenticate", "Bearer");
            ProblemResponses.send(rc.response(), Problem.ofStatus(401, ProblemResponses.UNAUTHORIZED_DETAIL,
                    rc.request().path()));
            return;
        }
        rc.next();
    }

    private static boolean hasBearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && !authorization.substring(7).isBlank();
    }
}
