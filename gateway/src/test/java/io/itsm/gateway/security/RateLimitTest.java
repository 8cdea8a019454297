package io.itsm.gateway.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.itsm.gateway.upstream.FakeUpstreams;
import io.itsm.gateway.upstream.FakeUpstreamsResource;
import io.itsm.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

@QuarkusTest
@TestProfile(RateLimitTest.SmallLimits.class)
@WithTestResource(FakeUpstreamsResource.class)
class RateLimitTest {

    /** Three requests at once, one more per second; the importer account may send ten at once. */
    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("itsm.gateway.rate-limit.capacity", "3",
                    "itsm.gateway.rate-limit.refill-per-second", "1",
                    "itsm.gateway.rate-limit.clients.bulk-importer.capacity", "10",
                    "itsm.gateway.rate-limit.clients.bulk-importer.refill-per-second", "1");
        }
    }

    FakeUpstreams upstreams;

    /** One token per user, signed once, so that requests follow each other quickly. */
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private static Response get(String user) {
        String token = TOKENS.computeIfAbsent(user, u -> TestTokens.token(u, Set.of("itsm-reader")));
        return given().header("Authorization", "Bearer " + token).when().get("/api/incidents");
    }

    @Test
    void aClientGetsItsBurstThenA429ProblemWithRetryAfterAndNothingIsForwarded() {
        for (int remaining = 2; remaining >= 0; remaining--) {
            get("alice").then().statusCode(200)
                    .header("RateLimit-Limit", "3")
                    .header("RateLimit-Remaining", String.valueOf(remaining))
                    .header("RateLimit-Policy", "3;w=3");
        }
        long forwarded = upstreams.incident().apiRequests();

        Response refused = get("alice");
        refused.then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", "1")
                .header("RateLimit-Remaining", "0")
                .body("type", equalTo("urn:itsm:problem:too-many-requests"))
                .body("status", equalTo(429))
                .body("detail", containsString("alice"))
                .body("instance", equalTo("/api/incidents"));
        assertThat(upstreams.incident().apiRequests()).isEqualTo(forwarded);
        assertThat(Integer.parseInt(refused.header("RateLimit-Reset"))).isBetween(1, 3);

        // The bucket refills at one request per second.
        Awaitility.await().pollInterval(Duration.ofMillis(200)).atMost(Duration.ofSeconds(3))
                .until(() -> get("alice").statusCode() == 200);
    }

    @Test
    void eachClientHasItsOwnBucket() {
        for (int i = 0; i < 4; i++) {
            get("bob");
        }
        get("bob").then().statusCode(429);
        get("carol").then().statusCode(200).header("RateLimit-Remaining", "2");
    }

    @Test
    void aNamedClientHasTheLimitConfiguredForIt() {
        // Its bucket holds 10 and refills at one per second. On a loaded machine the ten requests can take seconds,
        // refilling the bucket meanwhile, so the test counts what is accepted until the first refusal instead of
        // expecting the remaining count to fall by exactly one per request.
        Response response = get("bulk-importer");
        response.then().statusCode(200).header("RateLimit-Remaining", "9");
        int accepted = 0;
        while (response.statusCode() == 200 && accepted < 100) {
            response.then()
                    .header("RateLimit-Limit", "10")
                    .header("RateLimit-Policy", "10;w=10");
            assertThat(Integer.parseInt(response.header("RateLimit-Remaining"))).isBetween(0, 9);
            accepted++;
            response = get("bulk-importer");
        }
        response.then().statusCode(429);
        assertThat(accepted).as("requests accepted before the first 429 (the default limit is 3)")
                .isGreaterThanOrEqualTo(10);
    }

    @Test
    void healthAndDocumentsAreNotCounted() {
        for (int i = 0; i < 10; i++) {
            given().when().get("/q/health/live").then().statusCode(200);
        }
        get("dave").then().statusCode(200).header("RateLimit-Remaining", "2");
    }
}
