package io.itsm.gateway.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.Future;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

/**
 * Makes every error the gateway itself produces (no route, wrong method, failed handler) an
 * {@code application/problem+json} body instead of Vert.x's or Quarkus's HTML pages, including the
 * 401 and 403 of the HTTP security layer.
 */
@ApplicationScoped
public class ProblemResponses {

    /** Before every other failure handler, including Quarkus's own (HTML) error page. */
    static final int FAILURE_HANDLER_ORDER = Integer.MIN_VALUE + 100;

    /** The statuses Vert.x's router can produce on its own, before any handler runs. */
    private static final int[] ROUTER_STATUSES = {400, 404, 405, 406, 413, 414, 415, 500, 501, 503};

    /** The detail of every 401 the gateway answers. */
    public static final String UNAUTHORIZED_DETAIL = "A valid bearer token is required";

    private static final Logger LOG = Logger.getLogger(ProblemResponses.class);

    void register(@Observes Router router) {
        for (int status : ROUTER_STATUSES) {
            router.errorHandler(status, this::handleFailure);
        }
        router.route().order(FAILURE_HANDLER_ORDER).failureHandler(this::handleFailure);
    }

    private void handleFailure(RoutingContext rc) {
        Problem malformed = RequestHeadCheck.malformed(rc.request().uri());
        if (malformed != null) {
            // A handler ahead of the URI check read the path and failed on it (a malformed escape).
            send(rc.response(), malformed);
            return;
        }
        int status = rc.statusCode();
        String detail;
        Throwable failure = rc.failure();
        if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
            // No token, or one that is expired, badly signed or for another issuer or audience.
            rc.response().putHeader("WWW-Authenticate", "Bearer");
            status = 401;
            detail = UNAUTHORIZED_DETAIL;
        } else if (failure instanceof ForbiddenException) {
            status = 403;
            detail = "The token carries none of the roles this path needs";
        } else if (failure instanceof HttpException http) {
            status = http.getStatusCode();
            detail = http.getPayload();
        } else if (failure instanceof VertxException && status >= 400 && status < 500) {
            detail = failure.getMessage(); // what Vert.x refused, e.g. an HTTP/1.1 request without Host
        } else {
            detail = null;
        }
        if (status < 400 || status > 599) {
            status = 500;
        }
        if (status >= 500 && failure != null && !(failure instanceof HttpException)) {
            LOG.errorf(failure, "Request %s %s failed", rc.request().method(), rc.request().path());
        }
        send(rc.response(), Problem.ofStatus(status, detail == null ? defaultDetail(status, rc) : detail,
                rc.request().path()));
    }

    private static String defaultDetail(int status, RoutingContext rc) {
        return switch (status) {
            case 404 -> "No route for " + rc.request().path();
            case 405 -> rc.request().method() + " is not allowed on " + rc.request().path();
            case 500 -> "The gateway failed to handle the request";
            default -> "The gateway could not handle the request";
        };
    }

    /** Writes a problem as the whole response, unless the response has already started. */
    public static Future<Void> send(HttpServerResponse response, Problem problem) {
        if (response.ended() || response.closed()) {
            return Future.succeededFuture();
        }
        if (response.headWritten()) {
            // Too late for a problem body: cut the response so the client sees it is broken.
            response.reset();
            return Future.succeededFuture();
        }
        return response.setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(problem.toBuffer());
    }
}
