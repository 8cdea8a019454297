package io.itsm.events.trace;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * The W3C Trace Context {@code traceparent} of what is being done now, so that the events a change causes carry
 * the trace of the request (or event) that caused it as their {@code ce_traceparent}. The HTTP side is read from
 * the request by {@code TraceContext}; an event being consumed sets it here for the thread that handles it.
 */
public final class Traceparent {

    public static final String HEADER = "traceparent";

    /** {@code version-traceid-parentid-flags}, lower-case hex; all-zero ids and version ff are invalid. */
    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<String> CONSUMING = new ThreadLocal<>();

    private Traceparent() {
    }

    /** Whether {@code value} is a valid W3C traceparent. */
    public static boolean isValid(String value) {
        return value != null && FORMAT.matcher(value).matches() && !value.startsWith("ff")
                && !value.substring(3, 35).equals("0".repeat(32)) && !value.substring(36, 52).equals("0".repeat(16));
    }

    /** A new trace: random trace and parent ids, sampled. */
    public static String newTrace() {
        byte[] trace = new byte[16];
        byte[] parent = new byte[8];
        RANDOM.nextBytes(trace);
        RANDOM.nextBytes(parent);
        return "00-" + HexFormat.of().formatHex(trace) + "-" + HexFormat.of().formatHex(parent) + "-01";
    }

    /** Runs {@code work} with {@code traceparent} (if valid) as the current one of this thread. */
    public static <T> T whileConsuming(String traceparent, Callable<T> work) throws Exception {
        String previous = CONSUMING.get();
        CONSUMING.set(isValid(traceparent) ? traceparent : null);
        try {
            return work.call();
        } finally {
            if (previous == null) {
                CONSUMING.remove();
            } else {
                CONSUMING.set(previous);
            }
        }
    }

    /** The traceparent of the event this thread is consuming, or {@code null}. */
    public static String ofConsumedEvent() {
        return CONSUMING.get();
    }
}
