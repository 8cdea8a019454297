package io.itsm.cmdb;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.itsm.cmdb.graph.GraphProjection;
import io.itsm.events.Aggregate;
import io.itsm.events.CloudEvent;
import io.itsm.events.KafkaCloudEvents;
import io.itsm.events.Topics;
import io.itsm.testsupport.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;

/**
 * The in-memory relationship graph that impact analysis walks: loaded at start, current with this replica's writes at
 * once, and with another replica's writes through itsm.cmdb.events (simulated here by publishing that replica's events).
 */
@QuarkusTest
@TestSecurity(user = "sam.agent", roles = "itsm-agent")
class GraphProjectionTest {

    @Inject
    GraphProjection graph;

    private static CloudEvent relationshipEvent(String type, String edgeId, String source, String target) {
        String data = """
                {"relationship":{"id":"%s","type":"DEPENDS_ON","inverseType":"USED_BY","sourceId":"%s","targetId":"%s",
                 "createdAt":"2026-12-02T01:00:00Z","version":0},"changes":[]}""".formatted(edgeId, source, target);
        return new CloudEvent(UUID.randomUUID(), Aggregate.RELATIONSHIP.source(), type, edgeId, Instant.now(),
                Aggregate.RELATIONSHIP.dataschema(), data.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static String ci(String name) {
        return CiResourceTest.create(Map.of("ciClass", "application", "name", name)).then().statusCode(201).extract().path("id");
    }

    @Test
    void anotherReplicasRelationshipsReachTheGraphThroughTheEvents() {
        await().atMost(Duration.ofSeconds(20)).until(graph::ready);
        String db = ci("graph-db");
        String app = ci("graph-app");
        String edge = UUID.randomUUID().toString();
        TestKafka.send(List.of(KafkaCloudEvents.toRecord(Topics.CMDB_EVENTS, relationshipEvent("itsm.relationship.created", edge, app, db))));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/cmdb/cis/" + db + "/impact").then()
                .body("affected.ci.id", equalTo(List.of(app))));
        // a past instant walks the same graph, with what the store says changed since undone: nothing, for this edge
        given().get("/api/cmdb/cis/" + db + "/impact?asOf=" + Instant.now()).then().body("affected.ci.id", equalTo(List.of(app)));

        TestKafka.send(List.of(KafkaCloudEvents.toRecord(Topics.CMDB_EVENTS, relationshipEvent("itsm.relationship.deleted", edge, app, db))));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/cmdb/cis/" + db + "/impact").then()
                .body("affected", hasSize(0)));
    }

    @Test
    void thisReplicasWritesShowAtOnce() {
        await().atMost(Duration.ofSeconds(20)).until(graph::ready);
        String db = ci("now-db");
        String app = ci("now-app");
        String edge = given().contentType("application/json").body(Map.of("sourceId", app, "type", "DEPENDS_ON", "targetId", db))
                .post("/api/cmdb/relationships").then().statusCode(201).extract().path("id");
        given().get("/api/cmdb/cis/" + db + "/impact").then().body("affected.ci.id", equalTo(List.of(app)));
        given().header("If-Match", "\"0\"").delete("/api/cmdb/relationships/" + edge).then().statusCode(204);
        given().get("/api/cmdb/cis/" + db + "/impact").then().body("affected", hasSize(0));
    }

    @Test
    void impactAnswersShowTheCisAsTheLatestEventsDescribeThem() {
        await().atMost(Duration.ofSeconds(20)).until(graph::ready);
        String db = ci("cache-db");
        String app = ci("cache-app");
        given().contentType("application/json").body(Map.of("sourceId", app, "type", "DEPENDS_ON", "targetId", db))
                .post("/api/cmdb/relationships").then().statusCode(201);
        given().get("/api/cmdb/cis/" + db + "/impact").then().body("affected[0].ci.name", equalTo("cache-app"));
        // this replica's write shows at once
        given().contentType("application/merge-patch+json").header("If-Match", "\"0\"").body(Map.of("name", "cache-app-2"))
                .patch("/api/cmdb/cis/" + app).then().statusCode(200);
        given().get("/api/cmdb/cis/" + db + "/impact").then().body("affected[0].ci.name", equalTo("cache-app-2"));
        // another replica's newer version arrives as an event; an older one changes nothing
        TestKafka.send(List.of(KafkaCloudEvents.toRecord(Topics.CMDB_EVENTS, ciUpdated(app, "cache-app-9", 9)),
                KafkaCloudEvents.toRecord(Topics.CMDB_EVENTS, ciUpdated(app, "cache-app-stale", 3))));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/cmdb/cis/" + db + "/impact").then()
                .body("affected[0].ci.name", equalTo("cache-app-9")).body("affected[0].ci.version", equalTo(9)));
    }

    private static CloudEvent ciUpdated(String id, String name, int version) {
        String data = """
                {"ci":{"id":"%s","number":"CI0999999","ciClass":"application","name":"%s","status":"INSTALLED","criticality":3,
                 "attributes":{},"version":%d,"createdAt":"2026-12-02T01:00:00Z","updatedAt":"2026-12-02T02:00:00Z"},"changes":[]}"""
                .formatted(id, name, version);
        return new CloudEvent(UUID.randomUUID(), Aggregate.CI.source(), "itsm.ci.updated", id, Instant.now(),
                Aggregate.CI.dataschema(), data.getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
