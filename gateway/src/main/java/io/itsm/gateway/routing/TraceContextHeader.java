package io.itsm.gateway.routing;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Makes sure every request the gateway forwards carries a W3C Trace Context {@code traceparent}: the client's if it
 * is valid, else a new trace (random ids, sampled), as the W3C rules say for a missing or malformed header. The
 * services put it on the events the request causes ({@code ce_traceparent}), so a trace runs from the client's call
 * through Kafka to every consumer. (The events module's {@code Causation} validates the same way on that side.)
 */
@ApplicationScoped
public class TraceContextHeader {

    public static final String HEADER = "traceparent";

    /** Right after the request id. */
    static final int ORDER = Integer.MIN_VALUE + 11;

    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final SecureRandom RANDOM = new SecureRandom();

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        String traceparent = rc.request().getHeader(HEADER);
        if (!isValid(traceparent)) {
            rc.request().headers().set(HEADER, newTrace());
            rc.request().headers().remove("tracestate"); // belongs to the trace that was dropped
        }
        rc.next();
    }

    static boolean isValid(String value) {
        return value != null && FORMAT.matcher(value).matches() && !value.startsWith("ff")
                && !value.substring(3, 35).equals("0".repeat(32)) && !value.substring(36, 52).equals("0".repeat(16));
    }

    static String newTrace() {
        byte[] trace = new byte[16];
        byte[] parent = new byte[8];
        RANDOM.nextBytes(trace);
        RANDOM.nextBytes(parent);
        return "00-" + HexFormat.of().formatHex(trace) + "-" + HexFormat.of().formatHex(parent) + "-01";
    }
}
