package io.itsm.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

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
