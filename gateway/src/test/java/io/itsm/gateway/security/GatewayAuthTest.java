package io.itsm.gateway.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.itsm.gateway.upstream.FakeUpstreams;
import io.itsm.gateway.upstream.FakeUpstreamsResource;
import io.itsm.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The gateway checks the bearer token itself before anything reaches a service (the services check it again). */
@QuarkusTest
@WithTestResource(FakeUpstreamsResource.class)
class GatewayAuthTest {

    private static final Set<String> ALL_ROLES = Set.of("itsm-reader", "itsm-agent", "itsm-change-manager", "itsm-cab",
            "itsm-cmdb-admin", "itsm-admin");

    FakeUpstreams upstreams;

    static Stream<Arguments> invalidTokens() {
        return TestTokens.invalid(ALL_ROLES).entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidTokens")
    void refusesInvalidTokensWith401ProblemWithoutCallingTheService(String why, String token) {
        long before = upstreams.incident().apiRequests();
        given().header("Authorization", "Bearer " + token)
                .contentType("application/json").body("{\"shortDescription\":\"x\"}")
                .when().post("/api/incidents")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("urn:itsm:problem:unauthorized"))
                .body("status", equalTo(401))
                .body("instance", equalTo("/api/incidents"));
        assertThat(upstreams.incident().apiRequests()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/api/incidents", "/api/changes/CHG0010001", "/api/cmdb/cis" })
    void refusesRequestsWithoutATokenOnEveryPrefix(String path) {
        given().header("Accept", "text/html")
                .when().get(path)
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("detail", equalTo("A valid bearer token is required"));
    }

    @Test
    void refusesANonBearerScheme() {
        given().auth().preemptive().basic("admin", "admin")
                .when().get("/api/incidents")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void refusesAValidTokenWithoutASuiteRoleWith403() {
        long before = upstreams.cmdb().apiRequests();
        given().header("Authorization", "Bearer " + TestTokens.token("mallory", Set.of("some-other-app")))
                .when().delete("/api/cmdb/cis/CI0010001")
                .then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:itsm:problem:forbidden"))
                .body("status", equalTo(403));
        assertThat(upstreams.cmdb().apiRequests()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = { "itsm-reader", "itsm-agent", "itsm-change-manager", "itsm-cab", "itsm-cmdb-admin",
            "itsm-admin" })
    void forwardsEachSuiteRoleWithItsTokenSoTheServiceChecksItAgain(String role) {
        String bearer = "Bearer " + TestTokens.token("user-" + role, Set.of(role));
        given().header("Authorization", bearer)
                .when().get("/api/changes")
                .then().statusCode(200)
                .body("upstream", equalTo("change-service"))
                .body("headers.authorization", equalTo(bearer));
    }

    @ParameterizedTest
    @ValueSource(strings = { "/q/health/ready", "/q/health/live", "/q/metrics", "/openapi/incident", "/docs" })
    void healthMetricsAndDocumentsNeedNoToken(String path) {
        int status = given().redirects().follow(true).when().get(path).then().extract().statusCode();
        assertThat(status).as(path).isEqualTo(200);
    }

    @Test
    void unknownPathsStay404ProblemsWithoutAToken() {
        given().when().get("/nope").then().statusCode(404).contentType("application/problem+json");
    }
}
