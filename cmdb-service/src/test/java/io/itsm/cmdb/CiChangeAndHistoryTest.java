package io.itsm.cmdb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;

import io.itsm.cmdb.graph.GraphProjection;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** PATCH of a CI, its history (who, when, source, from → to), and time travel: a CI, its impact and the topology diff as of an instant. */
@QuarkusTest
@TestSecurity(user = "sam.agent", roles = "itsm-agent")
class CiChangeAndHistoryTest {

    @Inject
    GraphProjection graph;

    @Inject
    ObjectMapper json;

    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "quarkus.mongodb.database")
    String database;

    private static ValidatableResponse patch(String id, String ifMatch, Object body) {
        var request = given().contentType("application/merge-patch+json").body(body);
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return request.patch("/api/cmdb/cis/" + id).then();
    }

    private static String create(String ciClass, String name, Map<String, Object> attributes) {
        return CiResourceTest.create(Map.of("ciClass", ciClass, "name", name, "attributes", attributes)).then().statusCode(201).extract().path("id");
    }

    private static Instant updatedAt(String id) {
        return Instant.parse(given().get("/api/cmdb/cis/" + id).then().extract().path("updatedAt"));
    }

    private static Map<String, Object> change(String field, Object from, Object to) {
        Map<String, Object> change = new java.util.LinkedHashMap<>();
        change.put("field", field);
        change.put("from", from);
        change.put("to", to);
        return change;
    }

    /** Timestamps are milliseconds: waits until the clock has moved on, so consecutive changes get distinct instants. */
    private static void tick() {
        Instant then = Instant.now();
        await().pollInterval(Duration.ofMillis(1)).until(() -> Instant.now().isAfter(then.plusMillis(2)));
    }

    @Test
    void patchChangesWhatItNamesAndPublishesTheChangedFields() throws Exception {
        String id = create("linux_server", "web-01", Map.of("cpu", 8, "os", "Debian 12", "legacyId", "X1"));
        patch(id, null, Map.of("name", "web-02")).statusCode(428);
        patch(id, "\"3\"", Map.of("name", "web-02")).statusCode(412);
        patch(id, "\"0\"", Map.of("number", "CI0000001", "underChange", Map.of(), "bogus", 1)).statusCode(400)
                .body("errors.field", containsInAnyOrder("bogus", "number", "underChange"));
        patch(id, "\"0\"", Map.of("attributes", Map.of("cpu", "many"))).statusCode(400).body("errors.field", equalTo(List.of("attributes.cpu")));
        patch(id, "\"0\"", Map.of("criticality", 9)).statusCode(400).body("errors.field", equalTo(List.of("criticality")));
        patch(id, "\"0\"", Map.of("status", "RETIRED")).statusCode(400).body("errors.field", equalTo(List.of("status")));
        patch(id, "\"0\"", Map.of("ciClass", "no_such_class")).statusCode(422).body("errors.field", equalTo(List.of("ciClass")));

        String body = "{\"attributes\": {\"cpu\": 16, \"legacyId\": null}, \"supportGroup\": \"linux-ops\"}";
        patch(id, "\"0\"", body).statusCode(200).header("ETag", "\"1\"")
                .body("attributes.cpu", equalTo(16)).body("attributes.os", equalTo("Debian 12")).body("attributes", not(hasKey("legacyId")))
                .body("supportGroup", equalTo("linux-ops")).body("version", equalTo(1));
        patch(id, "\"1\"", Map.of("supportGroup", "linux-ops")).statusCode(200).header("ETag", "\"1\""); // nothing changes: no version

        List<CmdbTopic.Event> events = await().atMost(Duration.ofSeconds(30)).until(() -> CmdbTopic.eventsOf(id), e -> e.size() >= 2);
        assertThat(events).hasSize(2);
        assertThat(events.get(1).header("ce_type")).isEqualTo("itsm.ci.updated");
        JsonNode data = json.readTree(events.get(1).data());
        assertThat(data.path("actor").asText()).isEqualTo("sam.agent");
        assertThat(data.path("source").asText()).isEqualTo("api");
        assertThat(json.convertValue(data.path("changes"), List.class)).containsExactly(
                change("supportGroup", null, "linux-ops"), change("attributes.cpu", 8, 16), change("attributes.legacyId", "X1", null));
        assertThat(data.path("ci")).isEqualTo(json.readTree(given().get("/api/cmdb/cis/" + id).then().extract().asString()));

        // a class change keeps within what the new class allows, and is refused while the CI has relationships
        patch(id, "\"1\"", Map.of("ciClass", "server")).statusCode(200).body("ciClass", equalTo("server"));
        String app = create("application", "shop", Map.of());
        given().contentType(ContentType.JSON).body(Map.of("sourceId", app, "type", "RUNS_ON", "targetId", id)).post("/api/cmdb/relationships")
                .then().statusCode(201);
        patch(id, "\"2\"", Map.of("ciClass", "linux_server")).statusCode(409).body("detail", containsString("relationships"));
        given().header("If-Match", "\"2\"").post("/api/cmdb/cis/" + id + "/retire?relationships=delete").then().statusCode(200);
        patch(id, "\"3\"", Map.of("name", "zombie")).statusCode(409).body("detail", containsString("retired"));
    }

    @Test
    void historyKeepsEveryVersionAndAsOfAnswersAsTheCmdbWas() throws Exception {
        Instant beforeCreation = Instant.now().minusSeconds(1);
        String id = create("server", "db-host", Map.of("cpu", 4));
        Instant v0 = updatedAt(id);
        tick();
        patch(id, "\"0\"", Map.of("attributes", Map.of("cpu", 8))).statusCode(200);
        Instant v1 = updatedAt(id);
        tick();
        patch(id, "\"1\"", Map.of("name", "db-host-renamed", "environment", "PRODUCTION")).statusCode(200);

        given().get("/api/cmdb/cis/" + id + "/history").then().statusCode(200)
                .body("version", equalTo(List.of(0, 1, 2)))
                .body("eventType", equalTo(List.of("itsm.ci.created", "itsm.ci.updated", "itsm.ci.updated")))
                .body("actor", equalTo(List.of("sam.agent", "sam.agent", "sam.agent")))
                .body("source", equalTo(List.of("api", "api", "api")))
                .body("[1].changes", equalTo(List.of(Map.of("field", "attributes.cpu", "from", 4, "to", 8))))
                .body("[2].changes.field", equalTo(List.of("name", "environment")));

        given().get("/api/cmdb/cis/" + id + "?asOf=" + v0).then().statusCode(200).header("ETag", "\"0\"")
                .body("attributes.cpu", equalTo(4)).body("name", equalTo("db-host"));
        given().get("/api/cmdb/cis/" + id + "?asOf=" + v1.plusMillis(1)).then().statusCode(200)
                .body("version", equalTo(1)).body("attributes.cpu", equalTo(8)).body("name", equalTo("db-host"));
        given().get("/api/cmdb/cis/" + id + "?asOf=" + Instant.now()).then().statusCode(200).body("version", equalTo(2));
        given().get("/api/cmdb/cis/" + id + "?asOf=" + beforeCreation).then().statusCode(404).contentType(CiResourceTest.PROBLEM);
        given().get("/api/cmdb/cis/" + id + "?asOf=yesterday").then().statusCode(400).body("errors[0].field", equalTo("asOf"));

        // the same answers once the background projection moved the past versions out of the document
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Document stored = mongo.getDatabase(database).getCollection("ci").find(Filters.eq("_id", id)).first();
            return stored.getList("journal", Document.class, List.of()).isEmpty();
        });
        given().get("/api/cmdb/cis/" + id + "?asOf=" + v1.plusMillis(1)).then().body("version", equalTo(1)).body("attributes.cpu", equalTo(8));
        given().get("/api/cmdb/cis/" + id + "/history").then().body("version", equalTo(List.of(0, 1, 2)));
        given().get("/api/cmdb/cis/no-such-ci/history").then().statusCode(404);

        // paged like every list, by version
        String link = given().get("/api/cmdb/cis/" + id + "/history?limit=2&count=true").then().statusCode(200).header("X-Total-Count", "3")
                .body("version", equalTo(List.of(0, 1))).extract().header("Link");
        assertThat(link).startsWith("</api/cmdb/cis/" + id + "/history?").endsWith(">; rel=\"next\"");
        given().get(link.substring(1, link.indexOf('>'))).then().statusCode(200).body("version", equalTo(List.of(2)))
                .header("Link", org.hamcrest.Matchers.nullValue());
        given().get("/api/cmdb/cis/" + id + "/history?limit=0").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        given().get("/api/cmdb/cis/" + id + "/history?cursor=e30").then().statusCode(400).body("errors[0].field", equalTo("cursor"));
    }

    @Test
    void aPastImpactUndoesEveryRelationshipChangeSince() {
        await().atMost(Duration.ofSeconds(20)).until(graph::ready); // the walk over the projection, not the store's
        PastImpactScenario.run();
    }

    @Test
    void impactAndTheTopologyDiffTravelInTime() throws Exception {
        Instant start = Instant.now();
        tick();
        String db = create("database", "orders-db", Map.of());
        String app = create("application", "orders-app", Map.of());
        String edge = given().contentType(ContentType.JSON).body(Map.of("sourceId", app, "type", "DEPENDS_ON", "targetId", db))
                .post("/api/cmdb/relationships").then().statusCode(201).extract().path("id");
        tick();
        Instant linked = Instant.now();
        tick();
        patch(app, "\"0\"", Map.of("name", "orders-app-v2")).statusCode(200);
        given().header("If-Match", "\"0\"").delete("/api/cmdb/relationships/" + edge).then().statusCode(204);
        tick();
        Instant end = Instant.now();

        given().get("/api/cmdb/cis/" + db + "/impact").then().statusCode(200).body("affected", hasSize(0));
        given().get("/api/cmdb/cis/" + db + "/impact?asOf=" + linked).then().statusCode(200)
                .body("asOf", equalTo(linked.toString()))
                .body("affected.ci.name", equalTo(List.of("orders-app"))).body("affected[0].ci.version", equalTo(0));
        given().contentType(ContentType.JSON).body(Map.of("ciIds", List.of(db), "asOf", linked.toString())).post("/api/cmdb/impact").then()
                .statusCode(200).body("affected.ci.id", equalTo(List.of(app)));
        given().get("/api/cmdb/cis/" + db + "/impact?asOf=" + start).then().statusCode(404);

        given().get("/api/cmdb/diff?from=" + start + "&to=" + end).then().statusCode(200)
                .body("createdCis.id", equalTo(List.of(db, app)))
                .body("changedCis.findAll { it.ciId == '" + app + "' }.changes[0].field", equalTo(List.of("name")))
                .body("relationships.findAll { it.relationship.id == '" + edge + "' }.change", equalTo(List.of("created", "deleted")))
                .body("relationships.findAll { it.relationship.id == '" + edge + "' }.actor", equalTo(List.of("sam.agent", "sam.agent")))
                .body("relationships.findAll { it.relationship.id == '" + edge + "' }.source", equalTo(List.of("api", "api")))
                .body("truncated", equalTo(false));
        given().get("/api/cmdb/diff?from=" + linked + "&to=" + end).then().statusCode(200)
                .body("createdCis.id", not(hasItem(db)))
                .body("relationships.change", equalTo(List.of("deleted")));
        given().get("/api/cmdb/diff").then().statusCode(400).body("errors[0].field", equalTo("from"));
        given().get("/api/cmdb/diff?from=" + end + "&to=" + start).then().statusCode(400).body("errors[0].field", equalTo("to"));
    }

    @Test
    void anIdempotencyKeyCreatesOnceAndAnswersTheCiAsItWasCreated() {
        String key = "create-" + java.util.UUID.randomUUID();
        Map<String, Object> body = Map.of("ciClass", "server", "name", "idem-01", "attributes", Map.of("cpu", 2));
        var first = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post("/api/cmdb/cis").then()
                .statusCode(201).extract();
        String id = first.path("id");
        patch(id, "\"0\"", Map.of("name", "idem-01-renamed")).statusCode(200);
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post("/api/cmdb/cis").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/cmdb/cis/" + id)).header("ETag", "\"0\"")
                .body("id", equalTo(id)).body("number", equalTo(first.path("number"))).body("name", equalTo("idem-01"));
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(Map.of("ciClass", "server", "name", "other"))
                .post("/api/cmdb/cis").then().statusCode(422).contentType(CiResourceTest.PROBLEM)
                .body("errors[0].field", equalTo("Idempotency-Key"));
        given().contentType(ContentType.JSON).header("Idempotency-Key", "k".repeat(256)).body(body).post("/api/cmdb/cis").then().statusCode(400)
                .body("errors[0].field", equalTo("Idempotency-Key"));
        given().queryParam("q", "idem-01").get("/api/cmdb/cis").then().body("id", equalTo(List.of(id)));
    }
}
