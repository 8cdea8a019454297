package io.itsm.gateway.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.itsm.gateway.problem.Problem;
import io.itsm.gateway.problem.ProblemResponses;
import io.itsm.gateway.routing.Upstream;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Applies {@link RateLimiter} to every authenticated {@code /api/**} request, keyed by the token's principal:
 * answers {@code 429} problem+json with {@code Retry-After} when the client's bucket is empty, and puts the
 * {@code RateLimit-*} headers (IETF httpapi draft) on every API response, refused or not.
 */
@ApplicationScoped
public class RateLimits {

    /** After authorization (route order -100), before the API routes. */
    static final int ORDER = -10;

    @Inject
    RateLimiter limiter;

    void register(@Observes Router router) {
        if (limiter.enabled()) {
            for (Upstream upstream : Upstream.values()) {
                // "/api/incidents/*" also matches "/api/incidents" itself (but not "/api/incidentsX").
                router.route(upstream.apiPrefix() + "/*").order(ORDER).handler(this::limit);
            }
        }
    }

    private void limit(RoutingContext rc) {
        String client = client(rc);
        if (client == null) {
            rc.next(); // cannot happen behind the permission check; nothing to count against
            return;
        }
        RateLimiter.Decision decision = limiter.take(client);
        rc.addHeadersEndHandler(v -> headers(rc.response().headers(), decision));
        if (decision.allowed()) {
            rc.next();
            return;
        }
        rc.response().putHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
        ProblemResponses.send(rc.response(), Problem.ofStatus(429, "More than " + decision.limit().capacity()
                + " requests at once or " + decision.limit().refillPerSecond() + " per second from " + client
                + "; retry after " + decision.retryAfterSeconds() + " s", rc.request().path()));
    }

    private static String client(RoutingContext rc) {
        if (rc.user() instanceof QuarkusHttpUser user) {
            SecurityIdentity identity = user.getSecurityIdentity();
            if (!identity.isAnonymous()) {
                return identity.getPrincipal().getName();
            }
        }
        return null;
    }

    private static void headers(MultiMap headers, RateLimiter.Decision decision) {
        headers.set("RateLimit-Limit", Integer.toString(decision.limit().capacity()));
        headers.set("RateLimit-Remaining", Long.toString(decision.remaining()));
        headers.set("RateLimit-Reset", Long.toString(decision.resetSeconds()));
        headers.set("RateLimit-Policy", decision.limit().capacity() + ";w=" + decision.windowSeconds());
    }
}
