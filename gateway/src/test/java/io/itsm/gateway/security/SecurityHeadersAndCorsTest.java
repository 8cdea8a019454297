package io.itsm.gateway.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.itsm.gateway.upstream.FakeUpstream;
import io.itsm.gateway.upstream.FakeUpstreamsResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
@WithTestResource(FakeUpstreamsResource.class)
class SecurityHeadersAndCorsTest {

    private static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";

    private static ValidatableResponse hasSecurityHeaders(ValidatableResponse response, String policy) {
        return response.header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
                .header("Content-Security-Policy", policy);
    }

    @Test
    void proxiedResponsesGetTheGatewaysHeadersOverWhatTheServiceSent() {
        hasSecurityHeaders(given().header("Authorization", AuthorizedRequests.agentBearer())
                .header(FakeUpstream.ECHO_RESPONSE_PREFIX + "X-Frame-Options", "ALLOWALL")
                .header(FakeUpstream.ECHO_RESPONSE_PREFIX + "Content-Security-Policy", "default-src *")
                .when().get("/api/cmdb/cis")
                .then().statusCode(200), API_POLICY);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/nope", "/api/incidents", "/q/health/live", "/openapi/change" })
    void theGatewaysOwnAnswersAndErrorsGetThemToo(String path) {
        hasSecurityHeaders(given().when().get(path).then(), API_POLICY);
    }

    @Test
    void swaggerUiMayRunItsOwnScriptsButNotBeFramed() {
        hasSecurityHeaders(given().when().get("/docs/index.html").then().statusCode(200),
                "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'");
    }

    @Test
    void aPreflightFromAListedOriginIsAnsweredWithoutAToken() {
        given().header("Origin", "http://localhost:5173")
                .header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "authorization,content-type,if-match")
                .when().options("/api/incidents/42")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:5173")
                .header("Access-Control-Allow-Methods", containsString("PATCH"))
                .header("Access-Control-Allow-Headers", containsString("If-Match"))
                .header("Access-Control-Allow-Credentials", not(equalTo("true")));
    }

    @Test
    void anotherOriginGetsNoCorsPermission() {
        given().header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "DELETE")
                .when().options("/api/incidents/42")
                .then().header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void aBrowserSeesTheExposedHeadersAndA401ItCanRead() {
        given().header("Origin", "http://localhost:3000")
                .when().get("/api/changes")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("Access-Control-Allow-Origin", "http://localhost:3000");
        given().header("Origin", "http://localhost:3000")
                .header("Authorization", AuthorizedRequests.agentBearer())
                .when().get("/api/changes")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:3000")
                .header("Access-Control-Expose-Headers", containsString("ETag"))
                .header("Access-Control-Expose-Headers", containsString("RateLimit-Remaining"))
                .body("upstream", equalTo("change-service"));
    }
}
