package io.itsm.cmdb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.client.model.Updates;

import io.itsm.cmdb.repository.CmdbDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A relationship made while one of its CIs is retired, deleted or reclassified: whatever the interleaving, never both
 * succeed, so no active edge ends at a retired or deleted CI or joins classes its type does not allow. Each round starts both
 * requests at once; the losing one answers 409 or 422 as problem+json.
 */
@QuarkusTest
@TestSecurity(user = "sam.agent", roles = {"itsm-agent", "itsm-cmdb-admin"})
class RelationshipRaceTest {

    private static final int ROUNDS = 60;

    private static ExecutorService pool;

    @BeforeAll
    static void pool() {
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void shutdown() {
        pool.shutdownNow();
    }

    private static String ci(String ciClass) {
        return CiResourceTest.create(Map.of("ciClass", ciClass, "name", ciClass + "-" + UUID.randomUUID())).then().statusCode(201)
                .extract().path("id");
    }

    private static Response relate(String source, String type, String target) {
        return given().contentType(ContentType.JSON).body(Map.of("sourceId", source, "type", type, "targetId", target))
                .post("/api/cmdb/relationships");
    }

    /** Both calls, released together; their answers in call order. */
    private static List<Response> atOnce(Callable<Response> first, Callable<Response> second) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        for (Callable<Response> call : List.of(first, second)) {
            answers.add(pool.submit(() -> {
                start.await();
                return call.call();
            }));
        }
        start.countDown();
        return List.of(answers.get(0).get(30, TimeUnit.SECONDS), answers.get(1).get(30, TimeUnit.SECONDS));
    }

    private static List<Map<String, Object>> activeRelationshipsOf(String ciId) {
        return given().get("/api/cmdb/cis/" + ciId + "/relationships?limit=500").then().statusCode(200).extract().path("");
    }

    @Inject
    CmdbDatabase db;

    @Test
    void aCiStoredBeforeTheRelationshipCountExistedIsStillSearchedForRelationships() {
        String app = ci("application");
        String database = ci("database");
        relate(app, "DEPENDS_ON", database).then().statusCode(201);
        // a count of zero skips the search; a CI written before the count was kept has none, and may have relationships
        db.collection(CmdbDatabase.CIS).updateOne(new Document("_id", database), Updates.unset("links"));

        given().header("If-Match", "\"0\"").post("/api/cmdb/cis/" + database + "/retire").then().statusCode(409)
                .body("detail", containsString("1 active relationship"));
        given().header("If-Match", "\"0\"").post("/api/cmdb/cis/" + database + "/retire?relationships=delete").then().statusCode(200);
        assertThat(activeRelationshipsOf(app)).isEmpty();
    }

    @Test
    void aRetireAndARelationshipToTheSameCiNeverBothSucceed() throws Exception {
        neverBoth("application", "DEPENDS_ON", "database", 200, db -> given().header("If-Match", "\"0\"").post("/api/cmdb/cis/" + db + "/retire"));
    }

    @Test
    void aDeleteAndARelationshipToTheSameCiNeverBothSucceed() throws Exception {
        neverBoth("application", "DEPENDS_ON", "database", 204, db -> given().header("If-Match", "\"0\"").delete("/api/cmdb/cis/" + db));
    }

    @Test
    void aClassChangeAndARelationshipThatTheNewClassForbidsNeverBothSucceed() throws Exception {
        // an application may run on a virtual machine, not on another application
        neverBoth("application", "RUNS_ON", "virtual_machine", 200, vm -> given().header("If-Match", "\"0\"")
                .contentType("application/merge-patch+json").body(Map.of("ciClass", "application")).patch("/api/cmdb/cis/" + vm));
    }

    /**
     * Rounds of a new relationship and {@code change} of its target at once: either the relationship is made and the
     * change refused with 409 (the CI has it), or the change is made ({@code changed}) and the relationship refused
     * with 409 or 422, and no active edge is left at either CI.
     */
    private static void neverBoth(String sourceClass, String type, String targetClass, int changed,
                                  java.util.function.Function<String, Response> change) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String source = ci(sourceClass);
            String target = ci(targetClass);
            List<Response> answers = atOnce(() -> relate(source, type, target), () -> change.apply(target));
            Response relate = answers.get(0);
            Response other = answers.get(1);
            assertThat(relate.statusCode() == 201 && other.statusCode() == changed)
                    .as("round %d: relate %d %s / change %d %s", round, relate.statusCode(), relate.asString(), other.statusCode(), other.asString())
                    .isFalse();
            if (relate.statusCode() == 201) {
                assertThat(other.statusCode()).as(other.asString()).isEqualTo(409);
                assertThat(other.contentType()).startsWith(CiResourceTest.PROBLEM);
                assertThat(activeRelationshipsOf(source)).hasSize(1);
            } else {
                assertThat(other.statusCode()).as(other.asString()).isEqualTo(changed);
                assertThat(relate.statusCode()).as(relate.asString()).isIn(409, 422);
                assertThat(relate.contentType()).startsWith(CiResourceTest.PROBLEM);
                assertThat(activeRelationshipsOf(source)).as("the refused relationship is not left active").isEmpty();
            }
        }
    }

    @Test
    void aRetireDuringAnImportThatRelatesTheCiLeavesNoEdgeAtARetiredCi() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String app = ci("application");
            String db = ci("database");
            List<Response> answers = atOnce(() -> given().contentType(ContentType.JSON).body(Map.of("source", "discovery", "items", List.of(),
                            "relationships", List.of(Map.of("source", app, "type", "DEPENDS_ON", "target", db)))).post("/api/cmdb/reconcile"),
                    () -> given().header("If-Match", "\"0\"").post("/api/cmdb/cis/" + db + "/retire"));
            Response imported = answers.get(0);
            Response retire = answers.get(1);
            assertThat(imported.statusCode()).as(imported.asString()).isEqualTo(200);
            String outcome = imported.path("relationships[0].outcome");
            assertThat(outcome.equals("CREATED") && retire.statusCode() == 200)
                    .as("round %d: import %s / retire %d %s", round, imported.asString(), retire.statusCode(), retire.asString()).isFalse();
            if (outcome.equals("CREATED")) {
                assertThat(retire.statusCode()).as(retire.asString()).isEqualTo(409);
                assertThat(activeRelationshipsOf(db)).hasSize(1);
            } else {
                assertThat(outcome).isEqualTo("INVALID");
                assertThat(retire.statusCode()).as(retire.asString()).isEqualTo(200);
                assertThat(activeRelationshipsOf(db)).as("no active edge ends at the retired CI").isEmpty();
                assertThat(activeRelationshipsOf(app)).isEmpty();
            }
        }
    }
}
