package io.itsm.incident;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Idempotency-Key on POST /api/incidents, against the real database, including concurrent retries. */
@QuarkusTest
@TestSecurity(user = "sam.agent", roles = "itsm-agent")
class IncidentIdempotencyTest extends IncidentTestResourcesHolder {

    private static Response open(String key, String caller, int urgency) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body("{\"shortDescription\":\"Payroll batch failed\",\"caller\":\"" + caller + "\",\"impact\":2,\"urgency\":" + urgency + "}")
                .post("/api/incidents");
    }

    private static int count(String caller) {
        return Integer.parseInt(given().get("/api/incidents?count=true&caller=" + caller).then().statusCode(200).extract().header("X-Total-Count"));
    }

    @Test
    void theSameKeyAndBodyCreatesOnceAndAnswersTheSame() {
        String key = UUID.randomUUID().toString();
        String caller = "idem-" + key;
        Response first = open(key, caller, 2).then().statusCode(201).extract().response();
        // the same body, written differently, is the same request
        Response again = given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body("{ \"urgency\": 2, \"impact\": 2, \"caller\": \"" + caller + "\", \"shortDescription\": \"Payroll batch failed\" }")
                .post("/api/incidents").then().statusCode(201).extract().response();
        assertThat(again.<String>path("id")).isEqualTo(first.path("id"));
        assertThat(again.<String>path("number")).isEqualTo(first.path("number"));
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(again.header("ETag")).isEqualTo(first.header("ETag"));
        assertThat(count(caller)).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndCreatesNothing() {
        String key = UUID.randomUUID().toString();
        String caller = "idem-" + key;
        open(key, caller, 2).then().statusCode(201);
        open(key, caller, 1).then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("urn:itsm:problem:idempotency-key-reused"))
                .body("errors[0].field", equalTo("Idempotency-Key"));
        assertThat(count(caller)).isEqualTo(1);
        given().contentType(ContentType.JSON).header("Idempotency-Key", "x".repeat(256))
                .body("{\"shortDescription\":\"x\",\"impact\":2,\"urgency\":2}").post("/api/incidents").then().statusCode(400)
                .body("errors[0].field", equalTo("Idempotency-Key"));
    }

    @Test
    void concurrentRetriesWithOneKeyCreateOneIncident() throws Exception {
        String key = UUID.randomUUID().toString();
        String caller = "idem-" + key;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit((Callable<Response>) () -> open(key, caller, 3)));
            }
            Set<String> ids = answers.stream().map(f -> {
                try {
                    Response r = f.get();
                    assertThat(r.statusCode()).isEqualTo(201);
                    return r.<String>path("id");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).collect(Collectors.toSet());
            assertThat(ids).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(count(caller)).isEqualTo(1);
    }
}
