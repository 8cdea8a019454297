package io.itsm.incident;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.itsm.events.Aggregate;
import io.itsm.events.CloudEvent;
import io.itsm.events.KafkaCloudEvents;
import io.itsm.events.Topics;
import io.itsm.testsupport.EventSchemaAssertions;
import io.itsm.testsupport.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

/** itsm.change.incident-correlated over the real Kafka: the incident shows its probable-cause changes, once. */
@QuarkusTest
@TestSecurity(user = "sam.agent", roles = "itsm-agent")
class ProbableCauseChangesTest extends IncidentTestResourcesHolder {

    private static CloudEvent correlated(UUID incidentId, UUID changeId, String candidates) {
        String data = """
                {"change":{"id":"%s","number":"CHG0010007","type":"STANDARD","shortDescription":"Resize","state":"REVIEW",
                 "createdAt":"2026-12-01T08:00:00Z","updatedAt":"2026-12-01T09:00:00Z","version":4},"changes":[],
                 "incidentId":"%s","candidates":%s}""".formatted(changeId, incidentId, candidates);
        return new CloudEvent(UUID.randomUUID(), Aggregate.CHANGE.source(), "itsm.change.incident-correlated", changeId.toString(),
                Instant.now(), Aggregate.CHANGE.dataschema(), data.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    @Test
    void theCorrelatedChangesBecomeTheIncidentsProbableCauses() {
        String id = given().contentType(ContentType.JSON).body("{\"shortDescription\":\"Disk full\",\"impact\":2,\"urgency\":2}")
                .post("/api/incidents").then().statusCode(201).extract().path("id");
        UUID change = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        CloudEvent event = correlated(UUID.fromString(id), change, """
                [{"changeId":"%s","changeNumber":"CHG0010007","distance":0,"implementedAt":"2026-12-01T09:00:00Z","score":0.958},
                 {"changeId":"%s","changeNumber":"CHG0010003","distance":0,"implementedAt":"2026-12-01T01:00:00Z","score":0.625}]"""
                .formatted(change, other));
        TestKafka.send(List.of(KafkaCloudEvents.toRecord(Topics.CHANGE_EVENTS, event), KafkaCloudEvents.toRecord(Topics.CHANGE_EVENTS, event)));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/incidents/" + id).then()
                .body("probableCauseChanges.changeNumber", equalTo(List.of("CHG0010007", "CHG0010003"))));
        given().get("/api/incidents/" + id).then().header("ETag", "\"1\"").body("probableCauseChanges[0].changeId", equalTo(change.toString()))
                .body("probableCauseChanges[0].implementedAt", equalTo("2026-12-01T09:00:00Z"));
        given().get("/api/incidents/" + id + "/history").then().body("[1].actor", equalTo("change-service"))
                .body("[1].changes[0].field", equalTo("probableCauseChanges"));
        List<CloudEvent> events = TestKafka.events(Topics.INCIDENT_EVENTS, id::equals, 2, Duration.ofSeconds(10));
        assertThat(events).extracting(CloudEvent::type).containsExactly("itsm.incident.created", "itsm.incident.updated");
        EventSchemaAssertions.assertMatchesSchema(events.get(1));
    }

    @Test
    void otherChangeEventsAndUnknownIncidentsChangeNothingAndPoisonIsDeadLettered() {
        String id = given().contentType(ContentType.JSON).body("{\"shortDescription\":\"Slow\",\"impact\":3,\"urgency\":3}")
                .post("/api/incidents").then().statusCode(201).extract().path("id");
        UUID change = UUID.randomUUID();
        CloudEvent unknownIncident = correlated(UUID.randomUUID(), change, "[]");
        CloudEvent poison = correlated(UUID.fromString(id), change, "[{\"changeId\":\"not-a-uuid\"}]");
        TestKafka.send(List.of(KafkaCloudEvents.toRecord(Topics.CHANGE_EVENTS, unknownIncident), KafkaCloudEvents.toRecord(Topics.CHANGE_EVENTS, poison)));
        List<ConsumerRecord<String, byte[]>> dead = await().atMost(Duration.ofSeconds(20)).until(
                () -> TestKafka.records(Topics.deadLetter(Topics.CHANGE_EVENTS), 100, Duration.ofSeconds(1)).stream()
                        .filter(r -> change.toString().equals(r.key())).toList(), records -> records.size() == 1);
        assertThat(new String(dead.get(0).headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("candidates are not candidate changes");
        given().get("/api/incidents/" + id).then().header("ETag", "\"0\"").body("probableCauseChanges", equalTo(List.of()));
    }
}
