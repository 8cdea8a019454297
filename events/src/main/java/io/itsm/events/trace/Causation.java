package io.itsm.events.trace;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * What caused the work being done now, so that the events a change causes carry it: the W3C Trace Context
 * {@code traceparent} (CloudEvents extension {@code traceparent}) and the {@code X-Request-Id} (extension
 * {@code requestid}) of the HTTP request, or of the event being consumed. The HTTP side is read from the request by
 * {@code TraceContext}; an event being consumed sets its own here for the thread that handles it.
 */
public final class Causation {

    public static final String TRACEPARENT = "traceparent";
    public static final String REQUEST_ID = "requestid";
    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final int MAX_REQUEST_ID = 200;

    /** {@code version-traceid-parentid-flags}, lower-case hex; all-zero ids and version ff are invalid. */
    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7e]+");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<Map<String, String>> CONSUMING = new ThreadLocal<>();

    private Causation() {
    }

    /** Whether {@code value} is a valid W3C traceparent. */
    public static boolean isValidTraceparent(String value) {
        return value != null && FORMAT.matcher(value).matches() && !value.startsWith("ff")
                && !value.substring(3, 35).equals("0".repeat(32)) && !value.substring(36, 52).equals("0".repeat(16));
    }

    /** Whether {@code value} can be carried as a request id: 1 to 200 printable ASCII characters, no spaces. */
    public static boolean isValidRequestId(String value) {
        return value != null && value.length() <= MAX_REQUEST_ID && PRINTABLE.matcher(value).matches();
    }

    /** A new trace: random trace and parent ids, sampled. */
    public static String newTrace() {
        byte[] trace = new byte[16];
        byte[] parent = new byte[8];
        RANDOM.nextBytes(trace);
        RANDOM.nextBytes(parent);
        return "00-" + HexFormat.of().formatHex(trace) + "-" + HexFormat.of().formatHex(parent) + "-01";
    }

    /** Runs {@code work} with the cause of the consumed event ({@code extensions} of its CloudEvent) as this thread's. */
    public static <T> T whileConsuming(Map<String, String> extensions, Callable<T> work) throws Exception {
        Map<String, String> previous = CONSUMING.get();
        CONSUMING.set(extensions == null ? Map.of() : extensions);
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

    /** Whether this thread is handling a consumed event. */
    public static boolean consuming() {
        return CONSUMING.get() != null;
    }

    /** The valid traceparent of the event this thread is consuming, or {@code null}. */
    public static String traceparentOfConsumedEvent() {
        Map<String, String> extensions = CONSUMING.get();
        String value = extensions == null ? null : extensions.get(TRACEPARENT);
        return isValidTraceparent(value) ? value : null;
    }

    /** The valid request id of the event this thread is consuming, or {@code null}. */
    public static String requestIdOfConsumedEvent() {
        Map<String, String> extensions = CONSUMING.get();
        String value = extensions == null ? null : extensions.get(REQUEST_ID);
        return isValidRequestId(value) ? value : null;
    }
}
