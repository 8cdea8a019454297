package io.itsm.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.itsm.change.cmdb.CiDependency;
import io.itsm.change.cmdb.KnownCi;
import io.itsm.events.Aggregate;
import io.itsm.events.CloudEvent;
import io.itsm.events.KafkaCloudEvents;
import io.itsm.events.Topics;
import io.itsm.testsupport.TestKafka;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * What change-service learns from itsm.cmdb.events over the real Kafka: the CMDB read model (CIs, relationships as
 * dependencies, poison to the DLQ), and what it does with it: criticality and blast radius in the risk, conflicts
 * between changes on related CIs, and incidents correlated with changes on CIs they depend on.
 */
@QuarkusTest
class CmdbAwarenessTest extends ChangeTestResourcesHolder {

    static CloudEvent ciEvent(UUID id, String action, int criticality, long version) {
        String data = """
                {"ci":{"id":"%s","number":"CI%07d","ciClass":"server","name":"ci-%s","status":"%s","criticality":%d,"version":%d},"changes":[]}"""
                .formatted(id, Math.abs(id.hashCode() % 10_000_000), id.toString().substring(0, 8), action.equals("retired") ? "RETIRED" : "INSTALLED",
                        criticality, version);
        return new CloudEvent(UUID.randomUUID(), Aggregate.CI.source(), Aggregate.CI.eventType(action), id.toString(), Instant.now(),
                Aggregate.CI.dataschema(), data.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static CloudEvent relationshipEvent(UUID id, UUID source, String type, UUID target, String action, long version) {
        String data = """
                {"relationship":{"id":"%s","type":"%s","sourceId":"%s","targetId":"%s","createdAt":"2026-12-01T00:00:00Z","version":%d},"changes":[]}"""
                .formatted(id, type, source, target, version);
        return new CloudEvent(UUID.randomUUID(), Aggregate.RELATIONSHIP.source(), Aggregate.RELATIONSHIP.eventType(action), id.toString(),
                Instant.now(), Aggregate.RELATIONSHIP.dataschema(), data.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static void send(CloudEvent... events) {
        TestKafka.send(java.util.Arrays.stream(events).map(e -> KafkaCloudEvents.toRecord(Topics.CMDB_EVENTS, e)).toList());
    }

    private static CiDependency dependency(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> CiDependency.<CiDependency>findById(id));
    }

    private static KnownCi known(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> KnownCi.<KnownCi>findById(id));
    }

    /** "dependent DEPENDS_ON dependency", sent and applied. */
    private static UUID dependsOn(UUID dependent, UUID dependency) {
        UUID id = UUID.randomUUID();
        send(relationshipEvent(id, dependent, "DEPENDS_ON", dependency, "created", 0));
        await().atMost(Duration.ofSeconds(20)).until(() -> dependency(id) != null);
        return id;
    }

    @Test
    void theReadModelKeepsCisAndDependenciesAndDeadLettersPoison() {
        UUID rack = UUID.randomUUID();
        UUID server = UUID.randomUUID();
        UUID edge = UUID.randomUUID();
        CloudEvent v1 = ciEvent(server, "updated", 1, 1);
        send(v1, ciEvent(server, "created", 3, 0), v1, relationshipEvent(edge, rack, "CONTAINS", server, "created", 0));
        CloudEvent poison = relationshipEvent(UUID.randomUUID(), rack, "CONTAINS", server, "created", 0);
        String bad = new String(poison.data(), StandardCharsets.UTF_8).replace(rack.toString(), "not-a-uuid");
        CloudEvent broken = new CloudEvent(poison.id(), poison.source(), poison.type(), poison.subject(), poison.time(), poison.dataschema(),
                bad.getBytes(StandardCharsets.UTF_8), Map.of());
        send(broken);
        await().atMost(Duration.ofSeconds(20)).until(() -> known(server) != null && dependency(edge) != null);
        assertThat(known(server).criticality).as("the late version 0 changed nothing").isEqualTo(1);
        assertThat(dependency(edge).dependentId).as("a rack CONTAINS a server: the server depends on the rack").isEqualTo(server);
        assertThat(dependency(edge).dependencyId).isEqualTo(rack);
        List<ConsumerRecord<String, byte[]>> dead = await().atMost(Duration.ofSeconds(20)).until(
                () -> TestKafka.records(Topics.deadLetter(Topics.CMDB_EVENTS), 100, Duration.ofSeconds(1)).stream()
                        .filter(r -> broken.subject().equals(r.key())).toList(), records -> records.size() == 1);
        assertThat(new String(dead.get(0).headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("data.relationship.sourceId is not a UUID");

        send(relationshipEvent(edge, rack, "CONTAINS", server, "deleted", 1));
        await().atMost(Duration.ofSeconds(20)).until(() -> dependency(edge).deleted);
    }

    @Test
    void criticalityAndBlastRadiusRaiseTheRisk() {
        UUID core = UUID.randomUUID();
        send(ciEvent(core, "created", 1, 0));
        List<UUID> dependents = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            dependents.add(UUID.randomUUID());
        }
        List<CloudEvent> edges = new ArrayList<>();
        List<UUID> edgeIds = new ArrayList<>();
        for (UUID dependent : dependents) {
            UUID id = UUID.randomUUID();
            edgeIds.add(id);
            edges.add(relationshipEvent(id, dependent, "RUNS_ON", core, "created", 0));
        }
        send(edges.toArray(CloudEvent[]::new));
        await().atMost(Duration.ofSeconds(20)).until(() -> known(core) != null && edgeIds.stream().allMatch(id -> dependency(id) != null));
        String id = raise(AGENT, complete(core, "2026-12-05T22:00:00Z", "2026-12-05T23:30:00Z"));
        // NORMAL 10 + 1 CI 5 + criticality 1: 20 + 10 dependents: 10 = 45
        as(READER).get("/api/changes/" + id).then().body("riskScore", equalTo(45)).body("risk", equalTo("MODERATE"))
                .body("riskFactors.name", hasItem("ciCriticality")).body("riskFactors.name", hasItem("blastRadius"));
    }

    @Test
    void theRiskOfOpenChangesFollowsTheCmdbAndIncidents() {
        UUID db = UUID.randomUUID();
        send(ciEvent(db, "created", 3, 0));
        await().atMost(Duration.ofSeconds(20)).until(() -> known(db) != null);
        String id = raise(AGENT, complete(db, "2026-12-05T22:00:00Z", "2026-12-05T23:30:00Z"));
        as(READER).get("/api/changes/" + id).then().body("riskScore", equalTo(15));

        UUID payments = UUID.randomUUID();
        send(ciEvent(payments, "created", 1, 0));
        await().atMost(Duration.ofSeconds(20)).until(() -> known(payments) != null);
        dependsOn(payments, db);   // a criticality-1 CI now depends on the change's CI
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(READER).get("/api/changes/" + id).then()
                .body("riskFactors.name", hasItem("criticalDownstream")).body("riskScore", equalTo(25)).body("risk", equalTo("MODERATE")));

        send(ciEvent(db, "updated", 1, 1)); // the CI itself became critical
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(READER).get("/api/changes/" + id).then().body("riskScore", equalTo(45)));

        UUID incident = UUID.randomUUID();
        IncidentAwarenessTest.send(IncidentAwarenessTest.incidentEvent(incident, 1, "NEW", Instant.now(), 0, db));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(READER).get("/api/changes/" + id).then()
                .body("riskFactors.name", hasItem("openIncidentsOnCis")).body("riskScore", equalTo(55)).body("risk", equalTo("HIGH")));
        assertThat(TestKafka.events(Topics.CHANGE_EVENTS, id::equals, 4, Duration.ofSeconds(10)).stream().map(CloudEvent::type).toList())
                .containsExactly("itsm.change.created", "itsm.change.risk-changed", "itsm.change.risk-changed", "itsm.change.risk-changed");
        as(READER).get("/api/changes/" + id + "/history").then().body("[1].actor", equalTo("system"));
    }

    @Test
    void changesOnRelatedCisConflict() {
        UUID database = UUID.randomUUID();
        UUID app = UUID.randomUUID();
        dependsOn(app, database);
        String onDatabase = raise(AGENT, complete(database, "2026-12-19T22:00:00Z", "2026-12-19T23:00:00Z"));
        String onApp = raise(AGENT, complete(app, "2026-12-19T22:30:00Z", "2026-12-19T23:30:00Z"));
        move(MANAGER, onDatabase, "ASSESS", "", 200);
        move(MANAGER, onDatabase, "AUTHORIZE", "", 200);
        approve(MANAGER, onDatabase);
        move(MANAGER, onDatabase, "SCHEDULED", "", 200);
        as(READER).get("/api/changes/" + onApp + "/conflicts").then().statusCode(200).body("", hasSize(1))
                .body("[0].changeId", equalTo(onDatabase)).body("[0].configurationItemId", equalTo(database.toString()))
                .body("[0].reason", containsString("related to a CI of this change in the CMDB (1 hop)"));
        as(READER).get("/api/changes/" + onApp).then().body("conflicts", hasSize(1));
    }

    @Test
    void aNewRelationshipMakesChangesOnItsEndsConflict() {
        UUID storage = UUID.randomUUID();
        UUID vm = UUID.randomUUID();
        String onStorage = raise(AGENT, complete(storage, "2026-12-26T22:00:00Z", "2026-12-26T23:00:00Z"));
        String onVm = raise(AGENT, complete(vm, "2026-12-26T22:30:00Z", "2026-12-26T23:30:00Z"));
        move(MANAGER, onStorage, "ASSESS", "", 200);
        move(MANAGER, onStorage, "AUTHORIZE", "", 200);
        approve(MANAGER, onStorage);
        move(MANAGER, onStorage, "SCHEDULED", "", 200);
        as(READER).get("/api/changes/" + onVm).then().body("conflicts", hasSize(0));

        dependsOn(vm, storage);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(READER).get("/api/changes/" + onVm).then()
                .body("conflicts", hasSize(1)).body("conflicts[0].changeId", equalTo(onStorage)));
        assertThat(TestKafka.events(Topics.CHANGE_EVENTS, onVm::equals, 2, Duration.ofSeconds(10)).stream().map(CloudEvent::type).toList())
                .containsExactly("itsm.change.created", "itsm.change.conflict-detected");
    }

    @Test
    void aChangeMustFitIntoTheMaintenanceWindowsOfItsCis() {
        UUID router = UUID.randomUUID();
        String data = """
                {"ci":{"id":"%s","number":"CI0099001","ciClass":"network_device","name":"edge-router","status":"INSTALLED","criticality":3,
                 "attributes":{"maintenanceWindow":{"days":["SAT"],"start":"22:00","end":"04:00","zone":"UTC"}},"version":0},"changes":[]}"""
                .formatted(router);
        send(new CloudEvent(UUID.randomUUID(), Aggregate.CI.source(), "itsm.ci.created", router.toString(), Instant.now(), Aggregate.CI.dataschema(),
                data.getBytes(StandardCharsets.UTF_8), Map.of()));
        await().atMost(Duration.ofSeconds(20)).until(() -> known(router) != null);

        String inside = raise(AGENT, complete(router, "2027-06-05T23:00:00Z", "2027-06-06T01:00:00Z")); // a Saturday night
        as(READER).get("/api/changes/" + inside + "/conflicts").then().statusCode(200).body("", hasSize(0));
        String friday = raise(AGENT, complete(router, "2027-06-04T23:00:00Z", "2027-06-05T01:00:00Z"));
        as(READER).get("/api/changes/" + friday + "/conflicts").then().statusCode(200).body("", hasSize(1))
                .body("[0].kind", equalTo("MAINTENANCE_WINDOW")).body("[0].configurationItemId", equalTo(router.toString()))
                .body("[0].reason", containsString("SAT 22:00-04:00 UTC"));
        as(READER).get("/api/changes/" + friday + "/next-slot?after=2027-06-04T20:00:00Z").then().statusCode(200)
                .body("plannedStart", equalTo("2027-06-05T22:00:00Z")).body("plannedEnd", equalTo("2027-06-06T00:00:00Z"));
        String tooLong = raise(AGENT, complete(router, "2027-06-05T20:00:00Z", "2027-06-06T05:00:00Z"));
        as(READER).get("/api/changes/" + tooLong + "/next-slot?after=2027-06-04T20:00:00Z").then().statusCode(422)
                .body("detail", containsString("no conflict-free window"));
    }

    @Test
    void anIncidentIsCorrelatedWithAChangeOnACiItDependsOn() {
        UUID database = UUID.randomUUID();
        UUID app = UUID.randomUUID();
        dependsOn(app, database);
        String template = as(MANAGER).contentType(ContentType.JSON).body("""
                        {"name":"Vacuum %s","shortDescription":"Vacuum the database","implementationPlan":"a","backoutPlan":"b",
                         "testPlan":"c","configurationItemIds":["%s"]}""".formatted(database, database))
                .post("/api/changes/templates").then().statusCode(201).extract().path("id");
        String change = as(AGENT).contentType(ContentType.JSON).body("{\"type\":\"STANDARD\",\"templateId\":\"" + template
                        + "\",\"plannedStart\":\"2026-11-30T22:00:00Z\",\"plannedEnd\":\"2026-11-30T23:00:00Z\"}")
                .post("/api/changes").then().statusCode(201).extract().path("id");
        move(AGENT, change, "SCHEDULED", "", 200);
        move(AGENT, change, "IMPLEMENT", "", 200);
        move(AGENT, change, "REVIEW", "", 200);

        UUID incident = UUID.randomUUID();
        IncidentAwarenessTest.send(IncidentAwarenessTest.incidentEvent(incident, 2, "NEW", Instant.now().plusSeconds(1), 0, app));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(READER).get("/api/changes/" + change + "/related-incidents")
                .then().statusCode(200).body("incidentId", equalTo(List.of(incident.toString()))).body("[0].distance", equalTo(1)));
        assertThat(TestKafka.events(Topics.CHANGE_EVENTS, change::equals, 5, Duration.ofSeconds(10)).stream()
                .filter(e -> e.type().equals("itsm.change.incident-correlated")).findFirst().orElseThrow().dataAsString())
                .contains("\"distance\":1");
    }
}
