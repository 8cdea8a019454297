package io.itsm.gateway.problem;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.itsm.gateway.config.GatewayConfig;
import io.itsm.requesthead.RequestHead;
import io.itsm.requesthead.RequestHead.Refusal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Applies the suite's rules on a request's head ({@code request-head}) before the gateway forwards anything: a URI
 * longer than {@code itsm.gateway.max-uri-length} (414), a target that is not a URI at all ({@code ?q=100%}, an
 * unencoded {@code |}, {@code {} or {@code <}: 400 naming the part at fault), headers beyond
 * {@code itsm.gateway.max-header-size} (431 naming the largest). Vert.x's limits on the request line and headers
 * ({@code quarkus.http.limits.*}) and Quarkus's own URI check answer with an empty body before any handler runs, so the
 * limits are set far above these and the check is turned off ({@code vertx.disableURIValidation}, set by
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
        Optional<Refusal> refusal = RequestHead.check(rc.request().uri(), rc.request().headers(), maxUriLength,
                maxHeaderSize);
        if (refusal.isPresent()) {
            ProblemResponses.send(rc.response(), problem(refusal.get(), rc.request().path()));
            return;
        }
        rc.next();
    }

    /** The 400 problem for a request target that is not a URI, naming the part at fault; null for a valid one. */
    static Problem malformed(String uri) {
        return RequestHead.notAUri(uri).map(r -> problem(r, null)).orElse(null);
    }

    static Problem problem(Refusal refusal, String path) {
        return refusal.field() == null ? Problem.ofStatus(refusal.status(), refusal.detail(), path)
                : Problem.malformedRequest(refusal.field(), refusal.message());
    }
}
