package io.itsm.events.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.itsm.events.trace.Traceparent;
import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The {@code traceparent} an outbox event gets: the one of the HTTP request being served (the gateway makes one
 * for every request), else the one of the event being consumed, else none.
 */
@ApplicationScoped
public class TraceContext {

    @Inject
    Instance<CurrentVertxRequest> currentRequest;

    public String current() {
        String consumed = Traceparent.ofConsumedEvent();
        if (consumed != null) {
            return consumed;
        }
        if (!Arc.container().requestContext().isActive() || !currentRequest.isResolvable()) {
            return null;
        }
        RoutingContext request = currentRequest.get().getCurrent();
        if (request == null) {
            return null;
        }
        String traceparent = request.request().getHeader(Traceparent.HEADER);
        return Traceparent.isValid(traceparent) ? traceparent : null;
    }
}
