package io.itsm.cmdb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

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
class CmdbSecurityTest {

    private static final String ADMIN = TestTokens.token("ada.admin", Set.of(Roles.ADMIN));

    private static String createCi(String name) {
        return given().auth().oauth2(ADMIN).contentType(ContentType.JSON).body(Map.of("ciClass", "server", "name", name))
                .post("/api/cmdb/cis").then().statusCode(201).extract().path("id");
    }

    private static String createClass() {
        return given().auth().oauth2(ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "matrix_" + UUID.randomUUID().toString().substring(0, 8), "parent", "server"))
                .post("/api/cmdb/classes").then().statusCode(201).extract().path("name");
    }

    /** One operation on fresh CIs and a fresh relationship, as the bearer of {@code token} (anonymous when null). */
    private static Response call(String operation, String token) {
        String ci = createCi("matrix-a");
        String other = createCi("matrix-b");
        String relationship = given().auth().oauth2(ADMIN).contentType(ContentType.JSON)
                .body(Map.of("sourceId", ci, "type", "DEPENDS_ON", "targetId", other)).post("/api/cmdb/relationships")
                .then().statusCode(201).extract().path("id");
        String ciClass = operation.endsWith(" class") ? createClass() : "server";
        RequestSpecification request = given().header("If-Match", "\"0\"");
        if (token != null) {
            request.auth().oauth2(token);
        }
        return switch (operation) {
            case "list cis" -> request.get("/api/cmdb/cis?limit=1");
            case "get ci" -> request.get("/api/cmdb/cis/" + ci);
            case "get relationships of ci" -> request.get("/api/cmdb/cis/" + ci + "/relationships");
            case "get impact" -> request.get("/api/cmdb/cis/" + other + "/impact");
            case "post impact" -> request.contentType(ContentType.JSON).body(Map.of("ciIds", List.of(other))).post("/api/cmdb/impact");
            case "get relationship" -> request.get("/api/cmdb/relationships/" + relationship);
            case "get relationship history" -> request.get("/api/cmdb/relationships/" + relationship + "/history");
            case "create ci" -> request.contentType(ContentType.JSON).body(Map.of("ciClass", "server", "name", "x")).post("/api/cmdb/cis");
            case "retire ci" -> request.post("/api/cmdb/cis/" + ci + "/retire?relationships=delete");
            case "delete ci" -> request.delete("/api/cmdb/cis/" + ci + "?relationships=delete");
            case "create relationship" -> request.contentType(ContentType.JSON)
                    .body(Map.of("sourceId", other, "type", "DEPENDS_ON", "targetId", ci)).post("/api/cmdb/relationships");
            case "delete relationship" -> request.delete("/api/cmdb/relationships/" + relationship);
            case "update ci" -> request.contentType("application/merge-patch+json").body(Map.of("owner", "someone")).patch("/api/cmdb/cis/" + ci);
            case "get ci history" -> request.get("/api/cmdb/cis/" + ci + "/history");
            case "get diff" -> request.get("/api/cmdb/diff?from=" + java.time.Instant.now().minusSeconds(1));
            case "reconcile" -> request.contentType(ContentType.JSON).body(Map.of("source", "discovery")).post("/api/cmdb/reconcile");
            case "list classes" -> request.get("/api/cmdb/classes");
            case "get class" -> request.get("/api/cmdb/classes/" + ciClass);
            case "create class" -> request.contentType(ContentType.JSON).body(Map.of("name", "matrix_" + UUID.randomUUID().toString().substring(0, 8),
                    "parent", "server")).post("/api/cmdb/classes");
            case "update class" -> request.contentType(ContentType.JSON).body(Map.of("label", "Matrix")).patch("/api/cmdb/classes/" + ciClass);
            case "delete class" -> request.delete("/api/cmdb/classes/" + ciClass);
            default -> throw new IllegalArgumentException("no such operation in the table: " + operation);
        };
    }

    private static int success(String operation) {
        return switch (operation) {
            case "create ci", "create relationship", "create class" -> 201;
            case "delete ci", "delete relationship", "delete class" -> 204;
            default -> 200; // reconcile answers 200 with its report
        };
    }

    @Test
    void everyOperationForEveryCallerMatchesTheTable() {
        Map<String, List<String>> table = SecurityMatrix.read("security-matrix.csv");
        assertThat(table).hasSize(21);
        assertThat(SecurityMatrix.walk(table, Roles.ALL, (operation, token) -> {
            Response response = call(operation, token);
            return new SecurityMatrix.Answer(response.statusCode(), response.contentType());
        }, CmdbSecurityTest::success)).isEmpty();
    }

    @Test
    void invalidTokensAre401ProblemsOnEveryOperation() {
        Map<String, String> invalid = TestTokens.invalid(Set.copyOf(Roles.ALL));
        for (String operation : SecurityMatrix.read("security-matrix.csv").keySet()) {
            for (Map.Entry<String, String> token : invalid.entrySet()) {
                call(operation, token.getValue()).then().statusCode(401).contentType("application/problem+json")
                        .header("WWW-Authenticate", "Bearer").body("status", equalTo(401));
            }
        }
    }

    /** A CI's number is resolved to its id for authenticated callers only; the others get their 401 as on an id. */
    @Test
    void aCiNumberIsResolvedForAuthenticatedCallersOnly() {
        String id = createCi("by-number");
        String number = given().auth().oauth2(ADMIN).get("/api/cmdb/cis/" + id).then().statusCode(200).extract().path("number");
        String reader = TestTokens.token("rita.reader", Set.of(Roles.READER));
        given().auth().oauth2(reader).get("/api/cmdb/cis/" + number + "/history").then().statusCode(200).body("[0].version", equalTo(0));
        given().auth().oauth2(reader).get("/api/cmdb/cis/" + number).then().statusCode(200).body("id", equalTo(id));
        given().get("/api/cmdb/cis/" + number).then().statusCode(401).contentType("application/problem+json").header("WWW-Authenticate", "Bearer");
        for (String invalid : TestTokens.invalid(Set.copyOf(Roles.ALL)).values()) {
            given().auth().oauth2(invalid).get("/api/cmdb/cis/" + number + "/relationships").then().statusCode(401)
                    .contentType("application/problem+json");
        }
        given().auth().oauth2(TestTokens.token("nobody", Set.of("itsm-unknown"))).get("/api/cmdb/cis/" + number).then().statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void healthAndApiDocumentsNeedNoToken() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }
}
