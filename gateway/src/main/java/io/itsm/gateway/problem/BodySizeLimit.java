package io.itsm.gateway.problem;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.itsm.requesthead.RequestHead;
import io.itsm.requesthead.RequestHead.Refusal;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Rejects a request whose declared {@code Content-Length} exceeds {@code quarkus.http.limits.max-body-size}
 * with a 413 problem, before Quarkus's own limit check would answer with an empty body.
 */
@ApplicationScoped
public class BodySizeLimit {

    /** After the request id is assigned, before Quarkus's upload limit handler (order -2). */
    static final int ORDER = Integer.MIN_VALUE + 20;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    Optional<MemorySize> maxBodySize;

    void register(@Observes Router router) {
        maxBodySize.ifPresent(limit -> router.route().order(ORDER).handler(rc -> check(rc, limit.asLongValue())));
    }

    private static void check(RoutingContext rc, long limit) {
        Optional<Refusal> refusal = RequestHead.bodyTooLarge(rc.request().getHeader(HttpHeaders.CONTENT_LENGTH), limit);
        if (refusal.isPresent()) {
            // The body is never read, so the connection cannot be reused.
            rc.response().putHeader(HttpHeaders.CONNECTION, "close");
            ProblemResponses.send(rc.response(), RequestHeadCheck.problem(refusal.get(), rc.request().path()))
                    .onComplete(done -> rc.request().connection().close());
            return;
        }
        rc.next();
    }
}
