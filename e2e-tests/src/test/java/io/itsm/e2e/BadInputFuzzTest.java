package io.itsm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.itsm.events.CloudEvent;
import io.itsm.events.Topics;
import io.itsm.localstack.LocalIssuer;
import io.itsm.testsupport.RawHttp;

/**
 * Sends more than 10,000 malformed and boundary requests, made from the merged OpenAPI document by {@link BadRequests},
 * across every operation through the gateway, and holds the suite to its contract for bad input: no 5xx, every 4xx a
 * problem+json naming its status, and nothing written by a rejected request (every event a fuzz request caused
 * carries its request id, and only accepted requests may have caused one). The seed is fixed
 * ({@code -Ditsm.fuzz.seed=...} tries another); a failure is written to {@code target/fuzz-failures.jsonl}, and
 * the cases once found are kept in {@code fuzz-regressions.jsonl}, replayed first on every run.
 */
@ExtendWith(RunningSuite.class)
@Order(4)
class BadInputFuzzTest {

    private static final long SEED = Long.getLong("itsm.fuzz.seed", 20_261_202L);
    private static final int PER_OPERATION = Integer.getInteger("itsm.fuzz.per-operation", 200);
    /** Requests per client token: each fuzz client stays inside its own rate-limit bucket (200 burst). */
    private static final int REQUESTS_PER_CLIENT = 150;
    private static final List<String> ROLES = List.of("itsm-reader", "itsm-agent", "itsm-change-manager", "itsm-cab",
            "itsm-cmdb-admin", "itsm-admin");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SuiteApi api;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final AtomicInteger SENT = new AtomicInteger();
    private static final Map<Integer, String> TOKENS = new ConcurrentHashMap<>();

    private static Set<String> windowsBefore;

    @BeforeAll
    static void setUp() {
        windowsBefore = blackoutWindows();
        api = SuiteApi.load(RunningSuite.gateway(), "fuzz");
    }

    /**
     * Blackout windows the fuzz made (its fixture, and any a mutated request still made valid) would block the
     * scheduling of every other test's changes: they go when it is done.
     */
    @AfterAll
    static void removeBlackoutWindows() {
        SuiteClient admin = RunningSuite.gateway();
        for (String window : blackoutWindows()) {
            if (!windowsBefore.contains(window)) {
                String path = "/api/changes/blackout-windows/" + window;
                SuiteClient.Reply deleted = admin.delete(path, admin.get(path).header("ETag"));
                assertThat(deleted.status()).as(deleted.text()).isEqualTo(204);
            }
        }
    }

    /** Every blackout window, page by page (the list is paged like every list). */
    private static Set<String> blackoutWindows() {
        Set<String> ids = new HashSet<>();
        String page = "/api/changes/blackout-windows?limit=500";
        while (page != null) {
            String path = page;
            SuiteClient.Reply windows = bookkeeping(client -> client.get(path));
            assertThat(windows.status()).as(windows.text()).isEqualTo(200);
            windows.json().forEach(w -> ids.add(w.path("id").asText()));
            String link = windows.header("Link");
            page = link == null ? null : link.substring(link.indexOf('<') + 1, link.indexOf('>'));
        }
        return ids;
    }

    @Test
    void noBadRequestGetsA5xxOrAnythingButAProblemAndNoneWritesAnything() throws Exception {
        List<BadRequests.Case> cases = new ArrayList<>(regressions());
        int regressionCases = cases.size();
        BadRequests generator = new BadRequests(api.document(), new Random(SEED));
        api.operations().forEach((operation, node) -> {
            String method = operation.substring(0, operation.indexOf(' '));
            String template = operation.substring(operation.indexOf(' ') + 1);
            String path = api.withIds(template);
            cases.addAll(generator.forOperation(method, template, path, SuiteApi.requiredQuery(node), node,
                    () -> currentEtag(path), PER_OPERATION));
        });
        long incidentsBefore = total("/api/incidents");
        long changesBefore = total("/api/changes");

        Map<String, Integer> statusByRequestId = new ConcurrentHashMap<>();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<String> failedCases = Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                BadRequests.Case c = cases.get(i);
                String requestId = "fuzz-" + SEED + "-" + i;
                sent.add(clients.submit(() -> {
                    String problem = check(c, requestId, statusByRequestId);
                    if (problem != null) {
                        failures.add(problem);
                        failedCases.add(caseJson(c));
                    }
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
        if (!failedCases.isEmpty()) {
            Files.write(Path.of("target", "fuzz-failures.jsonl"), failedCases, StandardCharsets.UTF_8);
        }
        Map<Integer, Long> byStatus = new TreeMap<>(statusByRequestId.values().stream()
                .collect(Collectors.groupingBy(s -> s, Collectors.counting())));
        System.out.printf("fuzz: %d requests (%d regression cases) over %d operations, seed %d, in %d s; by status %s%n",
                cases.size(), regressionCases, api.operations().size(), SEED,
                Duration.ofNanos(System.nanoTime() - started).toSeconds(), byStatus);
        assertThat(failures).as("bad requests answered against the contract (seed %d; cases in target/fuzz-failures.jsonl)",
                SEED).isEmpty();
        assertThat(statusByRequestId).hasSize(cases.size());
        long sentToTheSuite = statusByRequestId.values().stream().filter(status -> status > 0).count();
        assertThat(sentToTheSuite).as("requests that reached the suite").isGreaterThanOrEqualTo(10_000);

        // every event a fuzz request caused must come from a request that was accepted; the sentinels (the last writes)
        // show the relay has published everything written before them
        Map<String, String> sentinels = new LinkedHashMap<>();
        sentinels.put(Topics.INCIDENT_EVENTS, sentinel("/api/incidents", "{\"shortDescription\":\"fuzz sentinel\",\"impact\":3,\"urgency\":3}"));
        sentinels.put(Topics.CHANGE_EVENTS, sentinel("/api/changes", "{\"type\":\"NORMAL\",\"shortDescription\":\"fuzz sentinel\"}"));
        sentinels.put(Topics.CMDB_EVENTS, sentinel("/api/cmdb/cis", "{\"ciClass\":\"application\",\"name\":\"fuzz-sentinel\"}"));
        Map<String, List<CloudEvent>> fuzzEvents = new LinkedHashMap<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (Map.Entry<String, String> sentinel : sentinels.entrySet()) {
                List<CloudEvent> events = fuzzEvents(sentinel.getKey());
                assertThat(events).extracting(e -> e.extensions().get("requestid")).contains(sentinel.getValue());
                fuzzEvents.put(sentinel.getKey(), events);
            }
        });
        List<String> writtenByRejected = new ArrayList<>();
        Map<String, Integer> created = new ConcurrentHashMap<>();
        fuzzEvents.forEach((topic, events) -> events.forEach(event -> {
            String requestId = event.extensions().get("requestid");
            Integer status = statusByRequestId.get(requestId);
            if (status != null && status >= 300) {
                writtenByRejected.add(event.type() + " of " + event.subject() + " by " + requestId + " answered " + status);
            }
            if (status != null && event.type().endsWith(".created")) {
                created.merge(event.type(), 1, Integer::sum);
            }
        }));
        assertThat(writtenByRejected).as("events caused by rejected requests").isEmpty();
        // and the stores agree: only accepted creates (and the sentinels) added incidents and changes
        assertThat(total("/api/incidents") - incidentsBefore).isEqualTo(created.getOrDefault("itsm.incident.created", 0) + 1);
        assertThat(total("/api/changes") - changesBefore).isEqualTo(created.getOrDefault("itsm.change.created", 0) + 1);
    }

    /** Sends one case; null if the answer keeps the contract, else what is wrong with it. */
    private static String check(BadRequests.Case c, String requestId, Map<String, Integer> statusByRequestId) {
        HttpRequest request;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(RunningSuite.stack().gateway().url() + c.path()))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token())
                    .header("X-Request-Id", requestId);
            c.headers().forEach(builder::header);
            request = builder.method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(c.body())).build();
        } catch (IllegalArgumentException e) {
            // a target or header Java's client refuses to send: a client of another kind sends it as it is
            return sendRaw(c, requestId, statusByRequestId);
        }
        HttpResponse<String> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            statusByRequestId.put(requestId, -1);
            return describe(c) + ": no answer (" + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return describe(c) + ": interrupted";
        }
        statusByRequestId.put(requestId, response.statusCode());
        return judge(c, response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    /** The case over a plain socket, exactly as written. */
    private static String sendRaw(BadRequests.Case c, String requestId, Map<String, Integer> statusByRequestId) {
        if (c.headers().values().stream().anyMatch(v -> v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0)) {
            statusByRequestId.put(requestId, 0); // a header that would split the request: not one request any more
            return null;
        }
        byte[] body = c.body() == null ? new byte[0] : c.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(c.method()).append(' ').append(c.path()).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\n")
                .append("Authorization: Bearer ").append(token()).append("\r\n")
                .append("X-Request-Id: ").append(requestId).append("\r\n");
        c.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        RawHttp.Answer answer;
        try {
            answer = RawHttp.send(RunningSuite.stack().gateway().port(), head + new String(body, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            statusByRequestId.put(requestId, -1);
            return describe(c) + ": no answer to the raw request (" + e + ")";
        }
        statusByRequestId.put(requestId, answer.status());
        String type = answer.header("Content-Type");
        return judge(c, answer.status(), type == null ? "" : type, answer.body());
    }

    /** Null if this answer keeps the contract (no 5xx, every 4xx a problem), else what is wrong with it. */
    private static String judge(BadRequests.Case c, int status, String contentType, String body) {
        if (status >= 500) {
            return describe(c) + ": " + status + " " + BadRequests.abbreviate(body);
        }
        if (status >= 400) {
            if (!contentType.startsWith("application/problem+json")) {
                return describe(c) + ": " + status + " with Content-Type '" + contentType + "' " + BadRequests.abbreviate(body);
            }
            try {
                JsonNode problem = JSON.readTree(body);
                if (problem.path("status").asInt() != status || problem.path("title").asText().isBlank()
                        || problem.path("type").asText().isBlank()) {
                    return describe(c) + ": " + status + " problem without a matching status, title or type "
                            + BadRequests.abbreviate(body);
                }
            } catch (IOException e) {
                return describe(c) + ": " + status + " problem+json that is not JSON " + BadRequests.abbreviate(body);
            }
        }
        return null;
    }

    private static String describe(BadRequests.Case c) {
        return c.method() + " " + BadRequests.abbreviate(c.path()) + " [" + c.what() + "]";
    }

    /** A token of its own every {@value #REQUESTS_PER_CLIENT} requests, so no fuzz client runs out of rate limit. */
    private static String token() {
        int client = SENT.getAndIncrement() / REQUESTS_PER_CLIENT;
        return TOKENS.computeIfAbsent(client, n -> LocalIssuer.token("fuzz-" + n, ROLES, Duration.ofMinutes(30)));
    }

    private static SuiteClient bookkeeper;

    /**
     * A request of the test's own bookkeeping (ETags, counts, sentinels), not part of the fuzzing: sent with a client of
     * its own rate-limit bucket, and repeated while the gateway answers 429 (it asks for 1 s; at most 30 s), since the
     * cases it prepares are generated faster than the gateway's per-client limit allows. A 429 was not processed, so
     * repeating a POST is safe.
     */
    private static synchronized SuiteClient.Reply bookkeeping(java.util.function.Function<SuiteClient, SuiteClient.Reply> request) {
        if (bookkeeper == null) {
            bookkeeper = SuiteClient.waitingOutRateLimits(RunningSuite.stack().gateway().url(), "fuzz-bookkeeping");
        }
        return request.apply(bookkeeper);
    }

    private static String currentEtag(String path) {
        String resource = path.replaceFirst("/(transitions|retire|approvals|notes)$", "");
        SuiteClient.Reply reply = bookkeeping(client -> client.get(resource));
        return reply.status() == 200 ? reply.header("ETag") : null;
    }

    private static long total(String path) {
        SuiteClient.Reply reply = bookkeeping(client -> client.get(path + "?count=true&limit=1"));
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return Long.parseLong(reply.header("X-Total-Count"));
    }

    private static String sentinel(String path, String body) {
        String requestId = "fuzz-sentinel-" + SEED + "-" + path;
        SuiteClient.Reply reply = bookkeeping(client -> client.post(path, body, Map.of("X-Request-Id", requestId)));
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return requestId;
    }

    private static List<CloudEvent> fuzzEvents(String topic) {
        return SuiteKafka.eventsUpToNow(RunningSuite.stack(), topic).stream()
                .filter(e -> e.extensions().getOrDefault("requestid", "").startsWith("fuzz-"))
                .toList();
    }

    private static String caseJson(BadRequests.Case c) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", c.method());
        json.put("path", c.path());
        json.put("headers", c.headers());
        json.put("body", c.body());
        json.put("what", c.what());
        try {
            return JSON.writeValueAsString(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Cases the fuzzer once found answered against the contract, kept as regression tests. Their paths carry the
     * placeholders {@code {incident}}, {@code {change}}, {@code {ci}} ..., filled with this run's fixtures.
     */
    @SuppressWarnings("unchecked")
    private static List<BadRequests.Case> regressions() throws IOException {
        List<BadRequests.Case> cases = new ArrayList<>();
        try (InputStream in = BadInputFuzzTest.class.getResourceAsStream("/fuzz-regressions.jsonl")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Map<String, Object> c = JSON.readValue(line, Map.class);
                String path = (String) c.get("path");
                for (String kind : List.of("incident", "change", "window", "template", "ci", "host", "relationship", "class")) {
                    path = path.replace("{" + kind + "}", api.id(kind));
                }
                cases.add(new BadRequests.Case((String) c.get("method"), path,
                        (Map<String, String>) c.getOrDefault("headers", Map.of()), (String) c.get("body"),
                        "regression: " + c.get("what")));
            }
        }
        return cases;
    }
}
