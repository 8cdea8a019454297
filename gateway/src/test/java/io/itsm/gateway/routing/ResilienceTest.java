package io.itsm.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.itsm.gateway.security.AuthorizedRequests;
import io.itsm.gateway.upstream.FakeUpstream;
import io.itsm.gateway.upstream.FakeUpstreams;
import io.itsm.gateway.upstream.FakeUpstreamsResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

@QuarkusTest
@TestProfile(ResilienceTest.Breakers.class)
@WithTestResource(FakeUpstreamsResource.class)
class ResilienceTest {

    /** The breaker opens after 3 failures for 2 s; cmdb may take 3 s where the others get 1 s. */
    public static class Breakers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("itsm.gateway.circuit-breaker.failures", "3",
                    "itsm.gateway.circuit-breaker.open-for", "2s",
                    "itsm.gateway.routes.cmdb.request-timeout", "3s");
        }
    }

    FakeUpstreams upstreams;

    @BeforeEach
    void authorize() {
        AuthorizedRequests.asAgent();
    }

    @AfterEach
    void restore() {
        upstreams.restoreAll();
        AuthorizedRequests.anonymous();
    }

    @Test
    void afterFailuresInARowTheBreakerAnswersAtOnceThenLetsACallThroughWhenTheServiceIsBack() {
        upstreams.change().stop();
        for (int i = 0; i < 3; i++) {
            given().when().post("/api/changes").then().statusCode(503).body("detail", containsString("connection refused"));
        }
        given().when().post("/api/changes")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .body("detail", equalTo("change-service is unavailable: it failed 3 times in a row, so it is not asked for a while"));

        upstreams.change().start();
        // still open: not even asked
        long before = upstreams.change().apiRequests();
        given().when().post("/api/changes").then().statusCode(503);
        assertThat(upstreams.change().apiRequests()).isEqualTo(before);
        // after open-for, one call goes through, succeeds and closes the breaker
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> given().when().post("/api/changes").statusCode() == 200);
        given().when().get("/api/changes").then().statusCode(200).body("upstream", equalTo("change-service"));
    }

    @Test
    void aSafeMethodIsTriedAgainWhenTheConnectionIsRefused() {
        upstreams.incident().stop();
        long started = System.nanoTime();
        given().when().get("/api/incidents").then().statusCode(503).body("detail", containsString("connection refused"));
        // two retries, 50 ms and 100 ms after the failed attempts
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(140);
    }

    @Test
    void eachRouteHasItsOwnRequestTimeout() {
        long started = System.nanoTime();
        given().when().get("/api/cmdb/cis/slow").then().statusCode(503).body("detail", containsString("no answer within 3000 ms"));
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(2_900);
        given().when().get("/api/incidents/slow").then().statusCode(503).body("detail", containsString("no answer within 1000 ms"));
    }

    /** A service that dies while it handles a write (found by the e2e crash test): the client hears of it at once. */
    @Test
    void aConnectionLostWhileTheServiceHandlesAWriteIsA503AtOnceNotAWaitForTheTimeout() throws Exception {
        long arrived = upstreams.cmdb().slowRequests();
        var answer = CompletableFuture.supplyAsync(() -> given().contentType("application/json")
                .body("{\"name\":\"x\"}").when().post("/api/cmdb/cis/slow").then().extract());
        // on a loaded machine the first request through the route can take a while to arrive; the clock that
        // matters starts when the service goes away
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> upstreams.cmdb().slowRequests() > arrived);
        long lost = System.nanoTime();
        upstreams.cmdb().stop();
        var response = answer.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.contentType()).startsWith("application/problem+json");
        // the route's request timeout is 3 s: the answer comes well before it, and says why
        assertThat((System.nanoTime() - lost) / 1_000_000).isLessThan(2_000);
        assertThat(response.body().jsonPath().getString("detail")).doesNotContain("no answer within");
    }

    /**
     * Four clients keep writing, each on its kept-alive connection, while the service goes away under them (found by
     * the e2e crash test): every write is answered, 200 before and 503 after, none waits for a timeout. Java's client
     * asks for HTTP/2 by default; the gateway answers in HTTP/1.1.
     */
    @Test
    void writersOnKeptAliveConnectionsAreAnsweredWhenTheServiceGoesAwayUnderThem() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        Map<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            running.add(writers.submit(() -> {
                HttpClient client = HttpClient.newHttpClient();
                for (int i = 0; writing.get(); i++) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/api/changes"))
                            .timeout(Duration.ofSeconds(5))
                            .header("Authorization", AuthorizedRequests.agentBearer())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"shortDescription\":\"write " + i + "\"}"))
                            .build();
                    int status = client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
                    byStatus.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                }
                return null;
            }));
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> answered(byStatus, 200) >= 20);
        upstreams.change().stop();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> answered(byStatus, 503) >= 20);
        writing.set(false);
        for (Future<?> f : running) {
            f.get(20, TimeUnit.SECONDS);
        }
        writers.shutdownNow();
        assertThat(byStatus.keySet()).isSubsetOf(200, 429, 503);
    }

    private static int answered(Map<Integer, AtomicInteger> byStatus, int status) {
        AtomicInteger count = byStatus.get(status);
        return count == null ? 0 : count.get();
    }

    @Test
    void aLocationPointingAtTheServiceItselfIsRewrittenToTheGateway() {
        String gateway = RestAssured.baseURI + ":" + RestAssured.port;
        given().header(FakeUpstream.ECHO_STATUS, "201")
                .header(FakeUpstream.ECHO_RESPONSE_PREFIX + "Location", upstreams.cmdb().url() + "/api/cmdb/cis/42")
                .when().post("/api/cmdb/cis")
                .then().statusCode(201)
                .header("Location", gateway + "/api/cmdb/cis/42");
        given().header(FakeUpstream.ECHO_STATUS, "201")
                .header(FakeUpstream.ECHO_RESPONSE_PREFIX + "Location", "https://elsewhere.example/x")
                .when().post("/api/cmdb/cis")
                .then().statusCode(201)
                .header("Location", "https://elsewhere.example/x");
    }
}
