package io.itsm.gateway.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.itsm.gateway.upstream.FakeUpstreams;
import io.itsm.gateway.upstream.FakeUpstreamsResource;
import io.itsm.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A token is verified once and then served from memory, but never past its expiry and never when it failed. */
@QuarkusTest
@WithTestResource(FakeUpstreamsResource.class)
class VerifiedTokenCacheTest {

    FakeUpstreams upstreams;

    @Test
    void aRepeatedTokenIsVerifiedOnce() {
        String bearer = "Bearer " + TestTokens.token("cache-user", Set.of("itsm-reader"));
        double hits = cacheGets("hit");
        double misses = cacheGets("miss");
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", bearer).when().get("/api/incidents")
                    .then().statusCode(200).header("X-Upstream", "incident-service");
        }
        assertThat(cacheGets("miss") - misses).isEqualTo(1);
        assertThat(cacheGets("hit") - hits).isEqualTo(2);
    }

    @Test
    void aRememberedTokenIsRefusedOnceItExpires() {
        String bearer = "Bearer " + TestTokens.token("short-lived", Set.of("itsm-agent"), Duration.ofSeconds(3));
        given().header("Authorization", bearer).when().get("/api/changes").then().statusCode(200);
        given().header("Authorization", bearer).when().get("/api/changes").then().statusCode(200);
        long before = upstreams.change().apiRequests();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> given()
                .header("Authorization", bearer).when().get("/api/changes").then().extract().statusCode() == 401);
        long forwardedWhileExpiring = upstreams.change().apiRequests() - before;
        given().header("Authorization", bearer).when().get("/api/changes").then().statusCode(401);
        assertThat(upstreams.change().apiRequests() - before).isEqualTo(forwardedWhileExpiring);
    }

    @Test
    void aRefusedTokenIsRefusedEveryTimeAndNeverRemembered() {
        String bad = TestTokens.invalid(Set.of("itsm-admin")).get("wrong signature");
        double misses = cacheGets("miss");
        for (int i = 0; i < 2; i++) {
            given().header("Authorization", "Bearer " + bad).when().get("/api/cmdb/cis").then().statusCode(401);
        }
        assertThat(cacheGets("miss") - misses).isEqualTo(2);
    }

    @Test
    void aTokenWithoutASuiteRoleStaysForbiddenWhenRepeated() {
        String bearer = "Bearer " + TestTokens.token("cache-user", Set.of("another-app"));
        for (int i = 0; i < 2; i++) {
            given().header("Authorization", bearer).when().get("/api/incidents").then().statusCode(403);
        }
    }

    private static double cacheGets(String result) {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^cache_gets_total\\{(?=[^}]*cache=\"gateway-verified-tokens\")(?=[^}]*result=\""
                + result + "\")[^}]*} ([0-9.E+-]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
