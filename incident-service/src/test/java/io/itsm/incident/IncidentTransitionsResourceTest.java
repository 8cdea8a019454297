package io.itsm.incident;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyIterable;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** {@code POST/GET /api/incidents/{id}/transitions} against the real database and broker. */
@QuarkusTest
@TestSecurity(user = "sam.agent", roles = "itsm-agent")
class IncidentTransitionsResourceTest extends IncidentTestResourcesHolder {

    @ParameterizedTest(name = "{0} -> {1}: allowed {2}")
    @MethodSource("io.itsm.incident.ExpectedLifecycle#cells")
    void everyCellOfTheTableOverHttp(IncidentState from, IncidentState to, boolean allowed) {
        String id = openIncident();
        for (IncidentState step : ExpectedLifecycle.pathFromNew(from)) {
            transition(id, etag(id), bodyFor(step)).then().statusCode(200).body("state", equalTo(step.name()));
        }
        String etag = etag(id);
        int version = given().get("/api/incidents/" + id).then().extract().path("version");

        Response response = transition(id, etag, bodyFor(to));
        if (allowed) {
            response.then().statusCode(200)
                    .header("ETag", "\"" + (version + 1) + "\"")
                    .body("state", equalTo(to.name()))
                    .body("version", equalTo(version + 1));
            given().get("/api/incidents/" + id).then().statusCode(200).header("ETag", "\"" + (version + 1) + "\"")
                    .body("state", equalTo(to.name()));
        } else {
            response.then().statusCode(409).contentType("application/problem+json").body("status", equalTo(409))
                    .body("detail", containsString(from + " cannot move to " + to));
            String detail = response.path("detail");
            List<IncidentState> next = List.copyOf(ExpectedLifecycle.allowedFrom(from));
            if (next.isEmpty()) {
                assertThat(detail).contains("none");
            }
            for (IncidentState state : next) {
                assertThat(detail).contains(state.name());
            }
            given().get("/api/incidents/" + id).then().statusCode(200).header("ETag", etag)
                    .body("version", equalTo(version)).body("state", equalTo(from.name()));
        }
    }

    @Test
    void ifMatchIsRequiredAndMustBeCurrent() {
        String id = openIncident();
        given().contentType(ContentType.JSON).body("{\"to\":\"IN_PROGRESS\"}").post("/api/incidents/" + id + "/transitions")
                .then().statusCode(428).contentType("application/problem+json").body("status", equalTo(428));
        transition(id, "\"7\"", "{\"to\":\"IN_PROGRESS\"}")
                .then().statusCode(412).contentType("application/problem+json").body("status", equalTo(412));
        given().get("/api/incidents/" + id).then().header("ETag", "\"0\"").body("state", equalTo("NEW"));

        transition(id, "\"0\"", "{\"to\":\"IN_PROGRESS\"}").then().statusCode(200).header("ETag", "\"1\"");
        // the old ETag is stale now, even for an allowed transition
        transition(id, "\"0\"", "{\"to\":\"CANCELED\"}").then().statusCode(412);
        given().get("/api/incidents/" + id).then().header("ETag", "\"1\"").body("state", equalTo("IN_PROGRESS"))
                .body("closedAt", nullValue());
    }

    @Test
    void anUnknownIncidentIsNotFound() {
        String unknown = "6d1f4a52-6c3e-4a5b-9a57-5f4c1b0e7d12";
        transition(unknown, "\"0\"", "{\"to\":\"IN_PROGRESS\"}").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString(unknown));
        given().get("/api/incidents/" + unknown + "/transitions").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void missingFieldsAreNamed() {
        String id = openIncident();
        transition(id, "\"0\"", "{\"to\":\"ON_HOLD\"}").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("onHoldReason")));
        transition(id, "\"0\"", "{\"to\":\"RESOLVED\"}").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("resolutionCode", "resolutionNotes")));
        transition(id, "\"0\"", "{\"to\":\"RESOLVED\",\"resolutionNotes\":\"Restarted\"}").then().statusCode(400)
                .body("errors.field", equalTo(List.of("resolutionCode")));
        transition(id, "\"0\"", "{\"to\":\"RESOLVED\",\"resolutionCode\":\"SOLUTION_PROVIDED\",\"resolutionNotes\":\" \"}")
                .then().statusCode(400).body("errors.field", equalTo(List.of("resolutionNotes")));
        given().get("/api/incidents/" + id).then().header("ETag", "\"0\"").body("state", equalTo("NEW"));
    }

    @Test
    void anUnknownOrMissingTargetStateIsInvalid() {
        String id = openIncident();
        transition(id, "\"0\"", "{\"to\":\"DONE\"}").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("to")).body("errors[0].message", containsString("IN_PROGRESS"));
        transition(id, "\"0\"", "{}").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("to"));
        transition(id, "\"0\"", "{\"to\":\"ON_HOLD\",\"onHoldReason\":\"BORED\"}").then().statusCode(400)
                .body("errors[0].field", equalTo("onHoldReason"));
        given().get("/api/incidents/" + id).then().header("ETag", "\"0\"");
    }

    @Test
    void theAllowedNextStatesAreListed() {
        String id = openIncident();
        given().get("/api/incidents/" + id + "/transitions").then().statusCode(200).header("ETag", "\"0\"")
                .body("current", equalTo("NEW"))
                .body("allowed", equalTo(List.of("IN_PROGRESS", "ON_HOLD", "RESOLVED", "CANCELED")));
        for (IncidentState step : ExpectedLifecycle.pathFromNew(IncidentState.CLOSED)) {
            transition(id, etag(id), bodyFor(step)).then().statusCode(200);
        }
        given().get("/api/incidents/" + id + "/transitions").then().statusCode(200)
                .body("current", equalTo("CLOSED")).body("allowed", emptyIterable());
    }

    @Test
    void theLifecycleFieldsAreInTheIncident() {
        String id = openIncident();
        given().get("/api/incidents/" + id).then().body("reopenCount", equalTo(0)).body("resolvedAt", nullValue());
        transition(id, "\"0\"", bodyFor(IncidentState.ON_HOLD)).then().statusCode(200)
                .body("onHoldReason", equalTo("AWAITING_CALLER"));
        transition(id, "\"1\"", bodyFor(IncidentState.RESOLVED)).then().statusCode(200)
                .body("onHoldReason", nullValue())
                .body("resolutionCode", equalTo("SOLUTION_PROVIDED"))
                .body("resolutionNotes", equalTo("Restarted the mail gateway"))
                .body("resolvedAt", notNullValue());
        transition(id, "\"2\"", bodyFor(IncidentState.IN_PROGRESS)).then().statusCode(200)
                .body("reopenCount", equalTo(1)).body("resolutionCode", nullValue()).body("resolvedAt", nullValue());
        transition(id, "\"3\"", bodyFor(IncidentState.CANCELED)).then().statusCode(200).body("closedAt", notNullValue());
    }

    @Test
    void concurrentTransitionsWithTheSameETagLetExactlyOneWinAndTheRestGet412() throws Exception {
        String id = openIncident();
        int callers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                IncidentState to = i % 2 == 0 ? IncidentState.IN_PROGRESS : IncidentState.CANCELED;
                Callable<Integer> call = () -> {
                    start.await();
                    return transition(id, "\"0\"", bodyFor(to)).statusCode();
                };
                results.add(pool.submit(call));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : results) {
                statuses.add(result.get());
            }
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(statuses).filteredOn(s -> s != 200).containsOnly(412);
        } finally {
            pool.shutdownNow();
        }
        given().get("/api/incidents/" + id).then().header("ETag", "\"1\"");
    }

    @Test
    void aTransitionThatLosesTheOptimisticLockAfterTheIfMatchCheckIs412NotA500() throws Exception {
        String id = openIncident();
        UUID uuid = UUID.fromString(id);
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // another writer holds the row, then commits a new version while the request waits for the row
            Future<?> writer = pool.submit(() -> QuarkusTransaction.requiringNew().run(() -> {
                Incident.getEntityManager().createNativeQuery("select id from incident where id = ?1 for update")
                        .setParameter(1, uuid).getResultList();
                locked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Incident.getEntityManager().createNativeQuery("update incident set version = version + 1 where id = ?1")
                        .setParameter(1, uuid).executeUpdate();
            }));
            locked.await();
            CompletableFuture<Response> request = CompletableFuture.supplyAsync(
                    () -> transition(id, "\"0\"", bodyFor(IncidentState.IN_PROGRESS)), pool);
            await().atMost(Duration.ofSeconds(20)).until(IncidentTransitionsResourceTest::aSessionWaitsForARowLock);
            release.countDown();
            writer.get();
            request.get().then().statusCode(412).contentType("application/problem+json")
                    .body("type", equalTo("urn:itsm:problem:precondition-failed"));
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        given().get("/api/incidents/" + id).then().header("ETag", "\"1\"").body("state", equalTo("NEW"));
    }

    private static boolean aSessionWaitsForARowLock() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) Incident.getEntityManager().createNativeQuery(
                "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")
                .getSingleResult()).longValue() > 0);
    }

    static String openIncident() {
        return given().contentType(ContentType.JSON)
                .body("{\"shortDescription\":\"Email is down\",\"caller\":\"jane.doe\",\"impact\":2,\"urgency\":2}")
                .post("/api/incidents").then().statusCode(201).extract().path("id");
    }

    static String etag(String id) {
        return given().get("/api/incidents/" + id).then().statusCode(200).extract().header("ETag");
    }

    static Response transition(String id, String ifMatch, String body) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return request.post("/api/incidents/" + id + "/transitions");
    }

    /** A transition body with the fields the target state needs. */
    static String bodyFor(IncidentState to) {
        return switch (to) {
            case ON_HOLD -> "{\"to\":\"ON_HOLD\",\"onHoldReason\":\"AWAITING_CALLER\"}";
            case RESOLVED -> "{\"to\":\"RESOLVED\",\"resolutionCode\":\"SOLUTION_PROVIDED\",\"resolutionNotes\":\"Restarted the mail gateway\"}";
            default -> "{\"to\":\"" + to + "\"}";
        };
    }

}
