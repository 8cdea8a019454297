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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.itsm.change.incident.KnownIncident;
import io.itsm.events.Aggregate;
import io.itsm.events.CloudEvent;
import io.itsm.events.KafkaCloudEvents;
import io.itsm.events.Topics;
import io.itsm.testsupport.TestKafka;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * What change-service learns from itsm.incident.events over the real Kafka: the incident read model (idempotent,
 * order-insensitive, poison to the DLQ), the open-incidents risk factor, and the CI/CD gate.
 */
@QuarkusTest
class IncidentAwarenessTest extends ChangeTestResourcesHolder {

    static CloudEvent incidentEvent(UUID id, int priority, String state, Instant openedAt, long version, UUID... cis) {
        String ciList = String.join(",", java.util.Arrays.stream(cis).map(c -> "\"" + c + "\"").toList());
        String data = """
                {"incident":{"id":"%s","number":"INC%07d","shortDescription":"down","priority":%d,"state":"%s","openedAt":"%s",
                 "configurationItemIds":[%s],"version":%d},"changes":[]}"""
                .formatted(id, Math.abs(id.hashCode() % 10_000_000), priority, state, openedAt, ciList, version);
        return new CloudEvent(UUID.randomUUID(), Aggregate.INCIDENT.source(), Aggregate.INCIDENT.eventType(version == 0 ? "created" : "updated"),
                id.toString(), Instant.now(), Aggregate.INCIDENT.dataschema(), data.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static void send(CloudEvent... events) {
        TestKafka.send(java.util.Arrays.stream(events).map(e -> KafkaCloudEvents.toRecord(Topics.INCIDENT_EVENTS, e)).toList());
    }

    /** A standard change on {@code ci} (from a template of its own), planned from an hour ago for three hours; NEW. */
    private String standardChangeFromAnHourAgo(UUID ci) {
        String template = as(MANAGER).contentType(ContentType.JSON).body("""
                        {"name":"Deploy %s","shortDescription":"Deploy the web tier","implementationPlan":"pipeline","backoutPlan":"roll back",
                         "testPlan":"smoke tests","configurationItemIds":["%s"]}""".formatted(ci, ci))
                .post("/api/changes/templates").then().statusCode(201).extract().path("id");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return as(AGENT).contentType(ContentType.JSON).body("{\"type\":\"STANDARD\",\"templateId\":\"" + template + "\",\"plannedStart\":\""
                        + now.minus(1, ChronoUnit.HOURS) + "\",\"plannedEnd\":\"" + now.plus(2, ChronoUnit.HOURS) + "\"}")
                .post("/api/changes").then().statusCode(201).extract().path("id");
    }

    private static KnownIncident known(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> KnownIncident.<KnownIncident>findById(id));
    }

    @Test
    void theReadModelKeepsTheNewestVersionOnceAndDeadLettersPoison() {
        UUID id = UUID.randomUUID();
        UUID ci = UUID.randomUUID();
        CloudEvent v1 = incidentEvent(id, 2, "IN_PROGRESS", Instant.parse("2026-11-30T10:00:00Z"), 1, ci);
        CloudEvent poison = new CloudEvent(UUID.randomUUID(), Aggregate.INCIDENT.source(), "itsm.incident.updated", id.toString(), Instant.now(),
                Aggregate.INCIDENT.dataschema(), "{\"incident\":{\"id\":\"x\"}}".getBytes(StandardCharsets.UTF_8), Map.of());
        send(v1, incidentEvent(id, 1, "NEW", Instant.parse("2026-11-30T10:00:00Z"), 0, ci), v1, poison);
        await().atMost(Duration.ofSeconds(20)).until(() -> known(id) != null);
        List<ConsumerRecord<String, byte[]>> dead = await().atMost(Duration.ofSeconds(20)).until(
                () -> TestKafka.records(Topics.deadLetter(Topics.INCIDENT_EVENTS), 100, Duration.ofSeconds(1)).stream()
                        .filter(r -> id.toString().equals(r.key())).toList(), records -> records.size() == 1);
        assertThat(new String(dead.get(0).headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("data.incident.id is not a UUID");
        KnownIncident incident = known(id);
        assertThat(incident.version).as("the late version 0 changed nothing").isEqualTo(1);
        assertThat(incident.priority).isEqualTo(2);
        assertThat(incident.state).isEqualTo("IN_PROGRESS");
        assertThat(incident.configurationItemIds).containsExactly(ci);
    }

    @Test
    void anIncidentIsKeptOnceItNamesACi() {
        UUID id = UUID.randomUUID();
        UUID ci = UUID.randomUUID();
        send(incidentEvent(id, 3, "NEW", Instant.parse("2026-11-30T10:00:00Z"), 0), incidentEvent(id, 3, "IN_PROGRESS",
                Instant.parse("2026-11-30T10:00:00Z"), 1, ci));
        await().atMost(Duration.ofSeconds(20)).until(() -> known(id) != null);
        assertThat(known(id).version).isEqualTo(1);
        assertThat(known(id).configurationItemIds).containsExactly(ci);
    }

    @Test
    void aNewerVersionReplacesTheIncidentsCis() {
        UUID id = UUID.randomUUID();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID third = UUID.randomUUID();
        send(incidentEvent(id, 3, "NEW", Instant.parse("2026-11-30T10:00:00Z"), 0, first, second));
        await().atMost(Duration.ofSeconds(20)).until(() -> known(id) != null);
        assertThat(known(id).configurationItemIds).containsExactlyInAnyOrder(first, second);
        send(incidentEvent(id, 3, "IN_PROGRESS", Instant.parse("2026-11-30T10:00:00Z"), 1, second, third));
        await().atMost(Duration.ofSeconds(20)).until(() -> known(id).version == 1);
        assertThat(known(id).configurationItemIds).containsExactlyInAnyOrder(second, third);
        assertThat(known(id).state).isEqualTo("IN_PROGRESS");
    }

    @Test
    void openMajorIncidentsOnItsCisRaiseAChangesRisk() {
        UUID ci = UUID.randomUUID();
        UUID incident = UUID.randomUUID();
        send(incidentEvent(incident, 1, "NEW", Instant.now().minus(1, ChronoUnit.HOURS), 0, ci));
        await().atMost(Duration.ofSeconds(20)).until(() -> known(incident) != null);
        String id = raise(AGENT, complete(ci, "2026-12-05T22:00:00Z", "2026-12-05T23:30:00Z"));
        as(READER).get("/api/changes/" + id).then().body("riskFactors.name", hasItem("openIncidentsOnCis"))
                .body("riskScore", equalTo(25)).body("risk", equalTo("MODERATE"));

        send(incidentEvent(incident, 1, "RESOLVED", Instant.now().minus(1, ChronoUnit.HOURS), 1, ci));
        await().atMost(Duration.ofSeconds(20)).until(() -> known(incident).version == 1);
        String later = raise(AGENT, complete(ci, "2026-12-05T22:00:00Z", "2026-12-05T23:30:00Z"));
        as(READER).get("/api/changes/" + later).then().body("riskScore", equalTo(15)).body("risk", equalTo("LOW"));
    }

    @Test
    void theGateSaysGoOnlyDuringImplementationInTheWindowWithoutANewP1() {
        UUID ci = UUID.randomUUID();
        String id = standardChangeFromAnHourAgo(ci);
        as(AGENT).get("/api/changes/" + id + "/gate").then().statusCode(200).body("decision", equalTo("NO_GO"))
                .body("reasons[0]", containsString("is NEW, not IMPLEMENT"));
        move(AGENT, id, "SCHEDULED", "", 200);
        move(AGENT, id, "IMPLEMENT", "", 200);
        as(AGENT).get("/api/changes/" + id + "/gate").then().statusCode(200).body("decision", equalTo("GO")).body("reasons", hasSize(0));

        UUID p2 = UUID.randomUUID();
        UUID p1 = UUID.randomUUID();
        send(incidentEvent(p2, 2, "NEW", Instant.now(), 0, ci), incidentEvent(p1, 1, "NEW", Instant.now(), 0, ci));
        await().atMost(Duration.ofSeconds(20)).until(() -> known(p1) != null && known(p2) != null);
        as(AGENT).get("/api/changes/" + id + "/gate").then().statusCode(200).body("decision", equalTo("NO_GO"))
                .body("reasons", hasSize(1)).body("reasons[0]", containsString("P1 incident INC"));
        as(AGENT).get("/api/changes/" + UUID.randomUUID() + "/gate").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aNewIncidentOnTheCiOfARecentlyImplementedChangeIsCorrelatedWithIt() {
        UUID ci = UUID.randomUUID();
        String template = as(MANAGER).contentType(ContentType.JSON).body("""
                        {"name":"Resize %s","shortDescription":"Resize the volume","implementationPlan":"a","backoutPlan":"b",
                         "testPlan":"c","configurationItemIds":["%s"]}""".formatted(ci, ci))
                .post("/api/changes/templates").then().statusCode(201).extract().path("id");
        String earlier = as(AGENT).contentType(ContentType.JSON).body("{\"type\":\"STANDARD\",\"templateId\":\"" + template
                        + "\",\"plannedStart\":\"2026-11-30T22:00:00Z\",\"plannedEnd\":\"2026-11-30T23:00:00Z\"}")
                .post("/api/changes").then().statusCode(201).extract().path("id");
        String latest = as(AGENT).contentType(ContentType.JSON).body("{\"type\":\"STANDARD\",\"templateId\":\"" + template
                        + "\",\"plannedStart\":\"2026-11-30T22:00:00Z\",\"plannedEnd\":\"2026-11-30T23:00:00Z\"}")
                .post("/api/changes").then().statusCode(201).extract().path("id");
        for (String id : List.of(earlier, latest)) {
            move(AGENT, id, "SCHEDULED", "\"conflictOverride\":\"same team\"", id.equals(earlier) ? 200 : 403);
        }
        move(MANAGER, latest, "SCHEDULED", "\"conflictOverride\":\"same team\"", 200);
        move(AGENT, earlier, "IMPLEMENT", "", 200);
        move(AGENT, earlier, "REVIEW", "", 200);
        move(AGENT, latest, "IMPLEMENT", "", 200);
        String untouched = raise(AGENT, complete(UUID.randomUUID(), "2026-12-05T22:00:00Z", "2026-12-05T23:30:00Z"));

        UUID incident = UUID.randomUUID();
        send(incidentEvent(incident, 2, "NEW", Instant.now().plusSeconds(1), 0, ci));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(READER).get("/api/changes/" + latest + "/related-incidents")
                .then().statusCode(200).body("incidentId", equalTo(List.of(incident.toString()))).body("[0].distance", equalTo(0)));
        as(READER).get("/api/changes/" + earlier + "/related-incidents").then().body("incidentId", equalTo(List.of(incident.toString())));
        as(READER).get("/api/changes/" + untouched + "/related-incidents").then().body("", hasSize(0));

        List<CloudEvent> correlated = TestKafka.events(Topics.CHANGE_EVENTS, latest::equals, 6, Duration.ofSeconds(10)).stream()
                .filter(e -> e.type().equals("itsm.change.incident-correlated")).toList();
        assertThat(correlated).hasSize(1);
        io.itsm.testsupport.EventSchemaAssertions.assertMatchesSchema(correlated.get(0));
        assertThat(correlated.get(0).dataAsString()).contains("\"incidentId\":\"" + incident + "\"")
                .containsSubsequence("\"candidates\":[{\"changeId\":\"" + latest, "\"changeId\":\"" + earlier);

        send(incidentEvent(incident, 2, "IN_PROGRESS", Instant.now(), 1, ci));
        await().atMost(Duration.ofSeconds(20)).until(() -> known(incident).version == 1);
        assertThat(TestKafka.events(Topics.CHANGE_EVENTS, latest::equals, 6, Duration.ofSeconds(2)).stream()
                .filter(e -> e.type().equals("itsm.change.incident-correlated")).count()).as("only a new incident is correlated").isEqualTo(1);
    }

    @Test
    void theGateStopsOutsideTheWindowAndDuringABlackout() {
        UUID ci = UUID.randomUUID();
        String template = as(MANAGER).contentType(ContentType.JSON).body("""
                        {"name":"Rotate keys %s","shortDescription":"Rotate keys","implementationPlan":"a","backoutPlan":"b",
                         "testPlan":"c","configurationItemIds":["%s"]}""".formatted(ci, ci))
                .post("/api/changes/templates").then().statusCode(201).extract().path("id");
        String id = as(AGENT).contentType(ContentType.JSON).body("{\"type\":\"STANDARD\",\"templateId\":\"" + template
                        + "\",\"plannedStart\":\"2030-01-01T00:00:00Z\",\"plannedEnd\":\"2030-01-01T01:00:00Z\"}")
                .post("/api/changes").then().statusCode(201).extract().path("id");
        move(AGENT, id, "SCHEDULED", "", 200);
        move(AGENT, id, "IMPLEMENT", "", 200);
        Instant now = Instant.now();
        as(MANAGER).contentType(ContentType.JSON).body("{\"name\":\"Incident freeze\",\"startsAt\":\"" + now.minusSeconds(60) + "\",\"endsAt\":\""
                + now.plusSeconds(3600) + "\",\"configurationItemIds\":[\"" + ci + "\"]}").post("/api/changes/blackout-windows").then().statusCode(201);
        as(AGENT).get("/api/changes/" + id + "/gate").then().statusCode(200).body("decision", equalTo("NO_GO"))
                .body("reasons", hasSize(2)).body("reasons[0]", containsString("outside the planned window"))
                .body("reasons[1]", containsString("'Incident freeze' is in force"));
    }

    @Test
    void manyIncidentEventsAtOnceAreEachKeptAndOnlyNewIncidentsOnTheChangesCisAfterItStartedAreCorrelated() {
        UUID ci = UUID.randomUUID();
        String change = standardChangeFromAnHourAgo(ci);
        Instant now = Instant.now();
        move(AGENT, change, "SCHEDULED", "", 200);
        move(AGENT, change, "IMPLEMENT", "", 200);
        Instant later = Instant.now().plusSeconds(1);

        java.util.Set<String> expected = new java.util.HashSet<>();
        List<UUID> all = new java.util.ArrayList<>();
        List<CloudEvent> events = new java.util.ArrayList<>();
        for (int n = 0; n < 10; n++) { // new on the change's CI, after it started: correlated
            UUID id = UUID.randomUUID();
            events.add(incidentEvent(id, 3, "NEW", later, 0, ci));
            expected.add(id.toString());
            all.add(id);
        }
        for (int n = 0; n < 10; n++) { // new, on other CIs: not correlated
            UUID id = UUID.randomUUID();
            events.add(incidentEvent(id, 3, "NEW", later, 0, UUID.randomUUID()));
            all.add(id);
        }
        UUID createdThenUpdated = UUID.randomUUID(); // both events at once: correlated once, the newer version kept
        events.add(incidentEvent(createdThenUpdated, 3, "NEW", later, 0, ci));
        events.add(incidentEvent(createdThenUpdated, 2, "IN_PROGRESS", later, 1, ci));
        expected.add(createdThenUpdated.toString());
        all.add(createdThenUpdated);
        UUID onlyUpdated = UUID.randomUUID(); // an update is not a new incident: kept, not correlated
        events.add(incidentEvent(onlyUpdated, 3, "IN_PROGRESS", later, 1, ci));
        all.add(onlyUpdated);
        UUID openedBefore = UUID.randomUUID(); // opened before the change started: kept, not correlated
        events.add(incidentEvent(openedBefore, 3, "NEW", now.minus(2, ChronoUnit.HOURS), 0, ci));
        all.add(openedBefore);
        send(events.toArray(CloudEvent[]::new));

        await().atMost(Duration.ofSeconds(20)).until(() -> all.stream().allMatch(id -> known(id) != null) && known(createdThenUpdated).version == 1);
        assertThat(known(createdThenUpdated).priority).isEqualTo(2);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(as(READER).get("/api/changes/" + change + "/related-incidents")
                .then().statusCode(200).extract().<List<String>>path("incidentId")).containsExactlyInAnyOrderElementsOf(expected));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(correlatedEvents(change)).isEqualTo(expected.size()));
    }

    private static long correlatedEvents(String change) {
        return TestKafka.events(Topics.CHANGE_EVENTS, change::equals, Integer.MAX_VALUE, Duration.ofSeconds(1)).stream()
                .filter(e -> e.type().equals("itsm.change.incident-correlated")).count();
    }
}
