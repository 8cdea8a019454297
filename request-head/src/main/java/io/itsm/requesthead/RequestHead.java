package io.itsm.requesthead;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;

/**
 * The rules on a request's head that the gateway and every service apply before routing, where Quarkus would
 * otherwise answer with an empty body (or not at all): a request target that is not a URI, a URI too long, headers too
 * large, a declared body too large. Each rule gives the refusal that the caller writes as its own problem.
 */
public final class RequestHead {

    private RequestHead() {
    }

    /**
     * Why a request is refused: its status, the part of the request at fault ({@code path}, {@code query}; null when
     * the refusal is about size) and what is wrong with it.
     */
    public record Refusal(int status, String field, String message) {

        /** One line for a problem's {@code detail}: the field, when there is one, and the message. */
        public String detail() {
            return field == null ? message : field + " " + message;
        }
    }

    /** The target's length, whether it is a URI, then the headers' size: the first refusal, if any. */
    public static Optional<Refusal> check(String target, Iterable<Map.Entry<String, String>> headers, int maxUriLength,
            int maxHeaderSize) {
        Optional<Refusal> refusal = uriTooLong(target, maxUriLength);
        if (refusal.isEmpty()) {
            refusal = notAUri(target);
        }
        return refusal.isPresent() ? refusal : headersTooLarge(headers, maxHeaderSize);
    }

    /** 414 for a request target (path and query) longer than {@code max} characters. */
    public static Optional<Refusal> uriTooLong(String target, int max) {
        return target.length() <= max ? Optional.empty()
                : Optional.of(new Refusal(414, null, "The request URI is longer than " + max + " characters"));
    }

    /**
     * 400 for a request target that is not a URI (a {@code %} not followed by two hex digits, as in {@code ?q=100%},
     * an unencoded {@code |}, {@code {} or {@code <}), naming the part at fault and the character.
     */
    public static Optional<Refusal> notAUri(String target) {
        try {
            new URI(target);
            return Optional.empty();
        } catch (URISyntaxException e) {
            int query = target.indexOf('?');
            String part = query >= 0 && e.getIndex() > query ? "query" : "path";
            return Optional.of(new Refusal(400, part,
                    "is not a valid URI " + part + ": " + e.getReason() + " at character " + (e.getIndex() + 1)));
        }
    }

    /** 431 for headers (names and values, as sent) of more than {@code max} bytes, naming the largest. */
    public static Optional<Refusal> headersTooLarge(Iterable<Map.Entry<String, String>> headers, int max) {
        int size = 0;
        Map.Entry<String, String> largest = null;
        for (Map.Entry<String, String> header : headers) {
            size += header.getKey().length() + header.getValue().length() + 4; // ": " and CRLF
            if (largest == null || header.getValue().length() > largest.getValue().length()) {
                largest = header;
            }
        }
        return size <= max ? Optional.empty() : Optional.of(new Refusal(431, null, "The request headers take " + size
                + " bytes, more than " + max + "; the largest is " + largest.getKey() + " (" + largest.getValue().length()
                + " bytes)"));
    }

    /** 413 for a declared {@code Content-Length} above {@code max}; an absent or unreadable one is not refused here. */
    public static Optional<Refusal> bodyTooLarge(String contentLength, long max) {
        return declaredBodyLength(contentLength) <= max ? Optional.empty()
                : Optional.of(new Refusal(413, null, "The request body is larger than " + max + " bytes"));
    }

    /** The body length a {@code Content-Length} value declares, or -1 when it is absent or not a number. */
    public static long declaredBodyLength(String contentLength) {
        if (contentLength == null) {
            return -1;
        }
        try {
            return Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
