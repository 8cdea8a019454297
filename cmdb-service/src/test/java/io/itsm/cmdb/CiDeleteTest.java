package io.itsm.cmdb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

/**
 * Deleting a CI: only CMDB admins, with If-Match, its relationships handled explicitly; afterwards every read leaves it
 * out while its history and past states stay, identification no longer finds it, and itsm.ci.deleted is published.
 */
@QuarkusTest
@TestSecurity(user = "ivan.admin", roles = "itsm-cmdb-admin")
class CiDeleteTest {

    @Inject
    ObjectMapper json;

    private static Map<String, Object> created(String ciClass, Map<String, Object> attributes) {
        return CiResourceTest.create(Map.of("ciClass", ciClass, "name", ciClass + "-" + UUID.randomUUID(), "attributes", attributes))
                .then().statusCode(201).extract().path("");
    }

    private static String relate(String source, String type, String target) {
        return given().contentType(ContentType.JSON).body(Map.of("sourceId", source, "type", type, "targetId", target))
                .post("/api/cmdb/relationships").then().statusCode(201).extract().path("id");
    }

    @Test
    @TestSecurity(user = "sam.agent", roles = "itsm-agent")
    void anAgentRetiresButDoesNotDelete() {
        given().header("If-Match", "\"0\"").delete("/api/cmdb/cis/" + UUID.randomUUID()).then().statusCode(403)
                .contentType(CiResourceTest.PROBLEM);
    }

    @Test
    void aDeleteNeedsTheCurrentVersionAndHandlesRelationshipsExplicitly() {
        String app = (String) created("application", Map.of()).get("id");
        String db = (String) created("database", Map.of()).get("id");
        String edge = relate(app, "DEPENDS_ON", db);

        given().delete("/api/cmdb/cis/" + db).then().statusCode(428).contentType(CiResourceTest.PROBLEM);
        given().header("If-Match", "\"7\"").delete("/api/cmdb/cis/" + db).then().statusCode(412).contentType(CiResourceTest.PROBLEM);
        given().header("If-Match", "\"0\"").delete("/api/cmdb/cis/" + db + "?relationships=keep").then().statusCode(400)
                .contentType(CiResourceTest.PROBLEM).body("errors[0].field", equalTo("relationships"));
        given().header("If-Match", "\"0\"").delete("/api/cmdb/cis/" + db).then().statusCode(409).contentType(CiResourceTest.PROBLEM)
                .body("detail", containsString("1 active relationship"));
        given().get("/api/cmdb/cis/" + db).then().statusCode(200);

        given().header("If-Match", "\"0\"").delete("/api/cmdb/cis/" + db + "?relationships=delete").then().statusCode(204);
        given().get("/api/cmdb/relationships/" + edge).then().statusCode(404);
        given().get("/api/cmdb/cis/" + app + "/relationships").then().statusCode(200).body("", hasSize(0));
        given().header("If-Match", "\"1\"").delete("/api/cmdb/cis/" + db).then().statusCode(404).contentType(CiResourceTest.PROBLEM);
    }

    @Test
    void aDeletedCiIsGoneFromEveryReadButItsHistoryAndPastStay() {
        Map<String, Object> ci = created("server", Map.of("serialNumber", "SN-" + UUID.randomUUID()));
        String id = (String) ci.get("id");
        String number = (String) ci.get("number");
        given().contentType("application/merge-patch+json").header("If-Match", "\"0\"").body(Map.of("owner", "ops"))
                .patch("/api/cmdb/cis/" + id).then().statusCode(200);
        Instant beforeDeletion = Instant.now();
        await().atLeast(Duration.ofMillis(5)).until(() -> Instant.now().isAfter(beforeDeletion.plusMillis(5)));

        given().header("If-Match", "\"1\"").delete("/api/cmdb/cis/" + id).then().statusCode(204);

        given().get("/api/cmdb/cis/" + id).then().statusCode(404).contentType(CiResourceTest.PROBLEM)
                .body("detail", containsString(number + " was deleted at")).body("detail", containsString("ivan.admin"));
        given().get("/api/cmdb/cis/" + number).then().statusCode(404).contentType(CiResourceTest.PROBLEM);
        given().get("/api/cmdb/cis?number=" + number).then().statusCode(200).body("", hasSize(0));
        given().get("/api/cmdb/cis?number=" + number + "&count=true").then().statusCode(200).header("X-Total-Count", "0");
        given().contentType("application/merge-patch+json").header("If-Match", "\"2\"").body(Map.of("owner", "x"))
                .patch("/api/cmdb/cis/" + id).then().statusCode(404);
        given().header("If-Match", "\"2\"").post("/api/cmdb/cis/" + id + "/retire").then().statusCode(404);
        given().get("/api/cmdb/cis/" + id + "/impact").then().statusCode(404);
        String other = (String) created("application", Map.of()).get("id");
        given().contentType(ContentType.JSON).body(Map.of("sourceId", other, "type", "RUNS_ON", "targetId", id))
                .post("/api/cmdb/relationships").then().statusCode(422).contentType(CiResourceTest.PROBLEM);

        // the past stays: its history ends with the deletion, and asOf before it answers the CI as it was
        given().get("/api/cmdb/cis/" + id + "/history").then().statusCode(200)
                .body("eventType", equalTo(List.of("itsm.ci.created", "itsm.ci.updated", "itsm.ci.deleted")))
                .body("[2].actor", equalTo("ivan.admin"))
                .body("[2].changes[0].field", equalTo("deleted")).body("[2].changes[0].to", equalTo(true));
        given().get("/api/cmdb/cis/" + id + "?asOf=" + beforeDeletion).then().statusCode(200)
                .body("owner", equalTo("ops")).body("version", equalTo(1));
        given().get("/api/cmdb/cis/" + id + "?asOf=" + Instant.now()).then().statusCode(404).contentType(CiResourceTest.PROBLEM)
                .body("detail", containsString("was deleted"));
        // and the topology diff over the deletion lists it as a change of the CI
        given().get("/api/cmdb/diff?from=" + beforeDeletion).then().statusCode(200)
                .body("changedCis.findAll { it.ciId == '" + id + "' }.eventType", equalTo(List.of("itsm.ci.deleted")));
    }

    @Test
    void anImportOfADeletedCisIdentifiersCreatesANewCi() {
        String serial = "SN-" + UUID.randomUUID();
        String id = (String) created("server", Map.of("serialNumber", serial)).get("id");
        Map<String, Object> item = Map.of("ciClass", "server", "name", "re-discovered", "attributes", Map.of("serialNumber", serial));
        given().contentType(ContentType.JSON).body(Map.of("source", "discovery", "items", List.of(item)))
                .post("/api/cmdb/reconcile").then().statusCode(200)
                .body("items[0].outcome", equalTo("UPDATED")).body("items[0].ciId", equalTo(id));

        given().header("If-Match", "\"1\"").delete("/api/cmdb/cis/" + id).then().statusCode(204);

        String newId = given().contentType(ContentType.JSON).body(Map.of("source", "discovery", "items", List.of(item)))
                .post("/api/cmdb/reconcile").then().statusCode(200).body("items[0].outcome", equalTo("CREATED"))
                .extract().path("items[0].ciId");
        assertThat(newId).isNotEqualTo(id);
    }

    @Test
    void theDeletionIsPublishedWithTheLastState() throws Exception {
        Map<String, Object> ci = created("application", Map.of());
        String id = (String) ci.get("id");
        given().header("If-Match", "\"0\"").delete("/api/cmdb/cis/" + id).then().statusCode(204);

        List<CmdbTopic.Event> events = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> CmdbTopic.eventsOf(id), e -> e.size() >= 2);
        assertThat(events).extracting(e -> e.header("ce_type")).containsExactly("itsm.ci.created", "itsm.ci.deleted");
        JsonNode data = json.readTree(events.get(1).data());
        assertThat(data.path("ci").path("id").asText()).isEqualTo(id);
        assertThat(data.path("ci").path("number").asText()).isEqualTo(ci.get("number"));
        assertThat(data.path("ci").path("version").asLong()).isEqualTo(1);
        assertThat(data.path("actor").asText()).isEqualTo("ivan.admin");
        assertThat(data.path("changes").get(0).path("field").asText()).isEqualTo("deleted");
    }
}
