package io.itsm.gateway.routing;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Gives every request an {@code X-Request-Id}: the client's own if it sent one, else a new UUID. The id is
 * added to the request (so the proxy passes it upstream) and set on every response the gateway sends.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "X-Request-Id";

    /** Runs first, before Quarkus's and the gateway's own handlers, for every path. */
    static final int ORDER = Integer.MIN_VALUE + 10;

    private static final int MAX_LENGTH = 200;

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String id = request.getHeader(HEADER);
        if (id == null || id.isBlank() || id.length() > MAX_LENGTH) {
            id = UUID.randomUUID().toString();
            request.headers().set(HEADER, id);
        }
        String requestId = id;
        rc.addHeadersEndHandler(v -> rc.response().headers().set(HEADER, requestId));
        rc.next();
    }
}
