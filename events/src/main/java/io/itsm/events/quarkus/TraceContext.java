package io.itsm.events.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.itsm.events.trace.Causation;
import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * What an outbox event records of its cause: the {@code traceparent} and {@code X-Request-Id} of the HTTP request
 * being served (the gateway makes both for every request), else those of the event being consumed, else none.
 */
@ApplicationScoped
public class TraceContext {

    @Inject
    Instance<CurrentVertxRequest> currentRequest;

    /** The valid traceparent of the current cause, or {@code null}. */
    public String traceparent() {
        if (Causation.consuming()) {
            return Causation.traceparentOfConsumedEvent();
        }
        String value = header("traceparent");
        return Causation.isValidTraceparent(value) ? value : null;
    }

    /** The request id of the current cause, or {@code null}. */
    public String requestId() {
        if (Causation.consuming()) {
            return Causation.requestIdOfConsumedEvent();
        }
        String value = header(Causation.REQUEST_ID_HEADER);
        return Causation.isValidRequestId(value) ? value : null;
    }

    private String header(String name) {
        if (!Arc.container().requestContext().isActive() || !currentRequest.isResolvable()) {
            return null;
        }
        RoutingContext request = currentRequest.get().getCurrent();
        return request == null ? null : request.request().getHeader(name);
    }
}
