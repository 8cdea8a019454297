package io.itsm.incident;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.itsm.rest.Roles;
import io.itsm.testsupport.SecurityMatrix;
import io.itsm.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Walks the whole authorization table ({@code security-matrix.csv}) with real signed JWTs: every operation ×
 * every role, anonymous, and expired, wrongly signed, wrong-audience and wrong-issuer tokens.
 */
@QuarkusTest
class IncidentSecurityTest extends IncidentTestResourcesHolder {

    static String token(String user, Set<String> roles) {
        return TestTokens.token(user, roles);
    }

    private static String admin() {
        return token("ada.admin", Set.of(Roles.ADMIN));
    }

    /** One operation on a fresh incident, as {@code caller} (a bearer token or null). */
    private static Response call(String operation, String bearer) {
        String id = given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body("{\"shortDescription\":\"Matrix\",\"impact\":2,\"urgency\":2" + (operation.contains("major") ? ",\"majorIncident\":true" : "") + "}")
                .post("/api/incidents").then().statusCode(201).extract().path("id");
        RequestSpecification request = given().header("If-Match", "\"0\"");
        if (bearer != null) {
            request.auth().oauth2(bearer);
        }
        return switch (operation) {
            case "list incidents" -> request.get("/api/incidents?limit=1");
            case "get incident" -> request.get("/api/incidents/" + id);
            case "get transitions" -> request.get("/api/incidents/" + id + "/transitions");
            case "get notes" -> request.get("/api/incidents/" + id + "/notes");
            case "get history" -> request.get("/api/incidents/" + id + "/history");
            case "get timeline" -> request.get("/api/incidents/" + id + "/timeline");
            case "open incident" -> request.contentType(ContentType.JSON).body("{\"shortDescription\":\"x\",\"impact\":3,\"urgency\":3}").post("/api/incidents");
            case "update incident" -> request.contentType("application/merge-patch+json").body("{\"category\":\"network\"}").patch("/api/incidents/" + id);
            case "transition incident" -> request.contentType(ContentType.JSON).body("{\"to\":\"IN_PROGRESS\"}").post("/api/incidents/" + id + "/transitions");
            case "add note" -> request.contentType(ContentType.JSON).body("{\"visibility\":\"INTERNAL\",\"text\":\"x\"}").post("/api/incidents/" + id + "/notes");
            case "cancel major incident" -> request.contentType(ContentType.JSON).body("{\"to\":\"CANCELED\"}").post("/api/incidents/" + id + "/transitions");
            default -> throw new IllegalArgumentException("no such operation in the table: " + operation);
        };
    }

    private static int success(String operation) {
        return operation.equals("open incident") || operation.equals("add note") ? 201 : 200;
    }

    private static Map<String, List<String>> table() {
        return SecurityMatrix.read("security-matrix.csv");
    }

    @Test
    void everyOperationForEveryCallerMatchesTheTable() {
        Map<String, List<String>> table = table();
        assertThat(table).hasSize(11);
        assertThat(SecurityMatrix.walk(table, Roles.ALL, (operation, token) -> {
            Response response = call(operation, token);
            return new SecurityMatrix.Answer(response.statusCode(), response.contentType());
        }, IncidentSecurityTest::success)).isEmpty();
    }

    @Test
    void invalidTokensAre401ProblemsOnEveryOperation() {
        Map<String, String> invalid = TestTokens.invalid(Set.of(Roles.ADMIN));
        for (String operation : table().keySet()) {
            for (Map.Entry<String, String> token : invalid.entrySet()) {
                call(operation, token.getValue()).then().statusCode(401).contentType("application/problem+json")
                        .header("WWW-Authenticate", "Bearer").body("status", equalTo(401));
            }
        }
    }

    @Test
    void historyRecordsWhoDidIt() {
        String agent = token("sam.agent", Set.of(Roles.AGENT));
        String id = given().auth().oauth2(agent).contentType(ContentType.JSON)
                .body("{\"shortDescription\":\"Who\",\"impact\":2,\"urgency\":2}").post("/api/incidents").then().statusCode(201).extract().path("id");
        given().auth().oauth2(agent).get("/api/incidents/" + id + "/history").then().statusCode(200).body("[0].actor", equalTo("sam.agent"));
    }

    @Test
    void healthAndApiDocumentsNeedNoToken() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }
}
