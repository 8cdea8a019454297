package io.itsm.change;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

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
class ChangeSecurityTest extends ChangeTestResourcesHolder {

    /** One operation on a fresh change, as {@code bearer} (or anonymous when null). */
    private static Response call(String operation, String bearer) {
        String id = raise(MANAGER, complete(UUID.randomUUID(), "2026-12-05T22:00:00Z", "2026-12-05T23:30:00Z"));
        if (operation.equals("approve low-risk change")) {
            move(MANAGER, id, "ASSESS", "", 200);
            move(MANAGER, id, "AUTHORIZE", "", 200);
        }
        RequestSpecification request = given().header("If-Match", etag(id));
        if (bearer != null) {
            request.auth().oauth2(bearer);
        }
        return switch (operation) {
            case "list changes" -> request.get("/api/changes?limit=1");
            case "get change" -> request.get("/api/changes/" + id);
            case "get transitions" -> request.get("/api/changes/" + id + "/transitions");
            case "get approvals" -> request.get("/api/changes/" + id + "/approvals");
            case "get conflicts" -> request.get("/api/changes/" + id + "/conflicts");
            case "get history" -> request.get("/api/changes/" + id + "/history");
            case "raise change" -> request.contentType(ContentType.JSON).body("{\"type\":\"NORMAL\",\"shortDescription\":\"x\"}").post("/api/changes");
            case "update change" -> request.contentType("application/merge-patch+json").body("{\"assignee\":\"kim\"}").patch("/api/changes/" + id);
            case "cancel change" -> request.contentType(ContentType.JSON).body("{\"to\":\"CANCELED\"}").post("/api/changes/" + id + "/transitions");
            case "assess change" -> request.contentType(ContentType.JSON).body("{\"to\":\"ASSESS\"}").post("/api/changes/" + id + "/transitions");
            case "get next slot" -> request.get("/api/changes/" + id + "/next-slot");
            case "list blackout windows" -> request.get("/api/changes/blackout-windows?endingAfter=2030-01-01T00:00:00Z");
            case "declare blackout window" -> request.contentType(ContentType.JSON)
                    .body("{\"name\":\"x\",\"startsAt\":\"2031-01-01T00:00:00Z\",\"endsAt\":\"2031-01-02T00:00:00Z\"}").post("/api/changes/blackout-windows");
            case "approve low-risk change" -> request.contentType(ContentType.JSON).body("{\"decision\":\"APPROVED\"}").post("/api/changes/" + id + "/approvals");
            default -> throw new IllegalArgumentException("no such operation in the table: " + operation);
        };
    }

    private static Map<String, List<String>> table() {
        return SecurityMatrix.read("security-matrix.csv");
    }

    @Test
    void everyOperationForEveryCallerMatchesTheTable() {
        Map<String, List<String>> table = table();
        assertThat(table).hasSize(14);
        assertThat(SecurityMatrix.walk(table, Roles.ALL, (operation, token) -> {
            Response response = call(operation, token);
            return new SecurityMatrix.Answer(response.statusCode(), response.contentType());
        }, operation -> operation.equals("raise change") || operation.equals("declare blackout window") ? 201 : 200)).isEmpty();
    }

    @Test
    void invalidTokensAre401ProblemsOnEveryOperation() {
        Map<String, String> invalid = TestTokens.invalid(Set.copyOf(Roles.ALL));
        for (String operation : table().keySet()) {
            for (Map.Entry<String, String> token : invalid.entrySet()) {
                call(operation, token.getValue()).then().statusCode(401).contentType("application/problem+json")
                        .header("WWW-Authenticate", "Bearer").body("status", equalTo(401));
            }
        }
    }

    @Test
    void healthAndApiDocumentsNeedNoToken() {
        given().get("/q/health/ready").then().statusCode(200);
        // built on this first request (openapi-deferred), the same document the start used to build
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("info.title", equalTo("ITSM change-service"))
                .body("paths", hasKey("/api/changes/{id}"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/changes/{id}:"));
    }
}
