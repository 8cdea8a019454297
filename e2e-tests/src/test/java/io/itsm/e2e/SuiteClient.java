package io.itsm.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.itsm.localstack.LocalIssuer;

/** A small HTTP client for the suite's JSON API, as an integrator would call it. */
final class SuiteClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a client that waits out rate limits keeps sending one request again. */
    private static final Duration RATE_LIMITED_AT_MOST = Duration.ofSeconds(30);

    /**
     * A response: status, parsed body (or null), raw text, and how long the request that got it took (its last sending,
     * when a client waited out 429s before it).
     */
    record Reply(int status, JsonNode json, String text, HttpResponse<String> raw, Duration took) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    /** A token of the local development issuer with every role, as the embedded default hands out. */
    private final String bearer;
    /** Whether a request the gateway answers 429 is sent again after its {@code Retry-After}. */
    private final boolean waitsOutRateLimits;

    SuiteClient(String base) {
        this(base, "e2e");
    }

    /** A client of its own: {@code user}'s token (so its own rate-limit bucket at the gateway). */
    SuiteClient(String base, String user) {
        this(base, user, false);
    }

    /**
     * A client of its own that, as a well-behaved integrator does, sends a request the gateway answered 429 again after
     * the {@code Retry-After} it gave (for at most {@link #RATE_LIMITED_AT_MOST}): for tests whose writers may outrun one
     * client's rate limit on a fast machine, where a 429 (the request was not processed) is not what they test.
     */
    static SuiteClient waitingOutRateLimits(String base, String user) {
        return new SuiteClient(base, user, true);
    }

    private SuiteClient(String base, String user, boolean waitsOutRateLimits) {
        this.waitsOutRateLimits = waitsOutRateLimits;
        this.base = base;
        this.bearer = "Bearer " + LocalIssuer.token(user,
                List.of("itsm-reader", "itsm-agent", "itsm-change-manager", "itsm-cab", "itsm-cmdb-admin", "itsm-admin"),
                Duration.ofHours(1));
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", bearer).GET());
    }

    Reply post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .header("Authorization", bearer).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A POST with extra request headers. */
    Reply post(String path, String json, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .header("Authorization", bearer).POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        return send(request);
    }

    /** A POST with {@code If-Match}, e.g. a transition. */
    Reply post(String path, String json, String ifMatch) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .header("Authorization", bearer).header("If-Match", ifMatch).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A JSON Merge Patch with {@code If-Match}. */
    Reply patch(String path, String json, String ifMatch) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/merge-patch+json")
                .header("Authorization", bearer).header("If-Match", ifMatch)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A DELETE with {@code If-Match}. */
    Reply delete(String path, String ifMatch) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", bearer)
                .header("If-Match", ifMatch).DELETE());
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            long giveUpAt = System.nanoTime() + RATE_LIMITED_AT_MOST.toNanos();
            long sent = System.nanoTime();
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            while (waitsOutRateLimits && response.statusCode() == 429 && System.nanoTime() < giveUpAt) {
                // the wait the gateway asked for (Retry-After), not a condition to poll for
                Thread.sleep(retryAfter(response).toMillis());
                sent = System.nanoTime();
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - sent);
            JsonNode json = null;
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (type.contains("json") && !response.body().isEmpty()) {
                json = JSON.readTree(response.body());
            }
            return new Reply(response.statusCode(), json, response.body(), response, took);
        } catch (IOException e) {
            throw new IllegalStateException("request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The wait a 429 asks for: its {@code Retry-After} in seconds (1 to 5), 1 s when it gives none or no number. */
    private static Duration retryAfter(HttpResponse<String> response) {
        String seconds = response.headers().firstValue("Retry-After").orElse("1");
        try {
            return Duration.ofSeconds(Math.max(1, Math.min(5, Long.parseLong(seconds.trim()))));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }
}
