package io.itsm.gateway.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.itsm.gateway.upstream.FakeUpstreamsResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The production path of authentication: the gateway's quarkus-oidc against a real Keycloak realm (discovery, JWKS,
 * issuer and audience checks, roles from the {@code groups} claim), with tokens Keycloak issued.
 */
@QuarkusTest
@WithTestResource(value = FakeUpstreamsResource.class, initArgs = @ResourceArg(name = "token-key", value = "none"))
@WithTestResource(KeycloakResource.class)
class KeycloakOidcTest {

    private static String token(String client, String secret, String user, String password) {
        JsonPath answer = given().baseUri(KeycloakResource.realmUrl()).port(-1)
                .formParam("grant_type", "password")
                .formParam("client_id", client)
                .formParam("client_secret", secret)
                .formParam("username", user)
                .formParam("password", password)
                .when().post("/protocol/openid-connect/token")
                .then().statusCode(200)
                .extract().jsonPath();
        return answer.getString("access_token");
    }

    private static String alice() {
        return token("itsm-test-client", "test-only-secret-not-for-production", "alice", "alice-test-password");
    }

    @Test
    void aKeycloakTokenWithTheAgentRoleIsForwardedWithItsToken() {
        String token = alice();
        given().header("Authorization", "Bearer " + token)
                .when().get("/api/incidents")
                .then().statusCode(200)
                .body("upstream", equalTo("incident-service"))
                .body("headers.authorization", equalTo("Bearer " + token));
    }

    @Test
    void aKeycloakUserWithoutASuiteRoleGets403() {
        given().header("Authorization", "Bearer " + token("itsm-test-client", "test-only-secret-not-for-production",
                        "bob", "bob-test-password"))
                .when().get("/api/cmdb/cis")
                .then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void aKeycloakTokenForAnotherApiGets401() {
        given().header("Authorization", "Bearer " + token("other-api-client", "test-only-other-secret", "alice",
                        "alice-test-password"))
                .when().get("/api/incidents")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void aTamperedKeycloakTokenGets401() {
        String token = alice();
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"groups\"", "itsm-agent", "\"aud\"");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.replace("itsm-agent", "itsm-admin").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        given().header("Authorization", "Bearer " + forged)
                .when().get("/api/incidents")
                .then().statusCode(401);
    }
}
