package io.itsm.cmdb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

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
import io.itsm.testsupport.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;

/** The under-change marker from change-service's events over the real Kafka: set in IMPLEMENT, cleared after, once per event. */
@QuarkusTest
@TestSecurity(user = "sam.agent", roles = "itsm-agent")
class UnderChangeTest {

    private static CloudEvent changeEvent(String type, UUID changeId, String number, String state, List<String> cis) {
        String data = """
                {"change":{"id":"%s","number":"%s","type":"NORMAL","shortDescription":"Patch the kernel","state":"%s",
                 "configurationItemIds":%s,"actualStart":"2026-12-02T01:00:00Z","createdAt":"2026-12-01T08:00:00Z",
                 "updatedAt":"2026-12-02T01:00:00Z","version":5},"changes":[]}"""
                .formatted(changeId, number, state, cis.stream().map(c -> "\"" + c + "\"").toList());
        return new CloudEvent(UUID.randomUUID(), Aggregate.CHANGE.source(), type, changeId.toString(), Instant.now(),
                Aggregate.CHANGE.dataschema(), data.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static String ci(String name) {
        return CiResourceTest.create(Map.of("ciClass", "linux_server", "name", name)).then().statusCode(201).extract().path("id");
    }

    private static void send(CloudEvent... events) {
        TestKafka.send(java.util.Arrays.stream(events).map(e -> KafkaCloudEvents.toRecord(Topics.CHANGE_EVENTS, e)).toList());
    }

    @Test
    void cisInScopeOfAnImplementingChangeCarryItsNumberUntilItIsReviewed() {
        String a = ci("uc-a");
        String b = ci("uc-b");
        UUID change = UUID.randomUUID();
        CloudEvent implementing = changeEvent("itsm.change.state-changed", change, "CHG0010042", "IMPLEMENT", List.of(a, b, UUID.randomUUID().toString()));
        send(implementing, implementing, changeEvent("itsm.change.risk-changed", change, "CHG0010042", "IMPLEMENT", List.of(a, b)));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/cmdb/cis/" + b).then()
                .body("underChange.changeNumber", equalTo("CHG0010042")));
        given().get("/api/cmdb/cis/" + a).then().header("ETag", "\"1\"")
                .body("underChange.changeId", equalTo(change.toString())).body("underChange.since", equalTo("2026-12-02T01:00:00Z"));
        given().get("/api/cmdb/cis/" + a + "/history").then().body("[1].actor", equalTo("change-service"))
                .body("[1].source", equalTo("change-service")).body("[1].changes[0].field", equalTo("underChange"));
        // a PATCH cannot touch it
        given().contentType("application/merge-patch+json").header("If-Match", "\"1\"").body(Map.of("underChange", (Object) "none"))
                .patch("/api/cmdb/cis/" + a).then().statusCode(400).body("errors[0].field", equalTo("underChange"));

        // another change's end does not clear it; this change's review does
        send(changeEvent("itsm.change.state-changed", UUID.randomUUID(), "CHG0010043", "CLOSED", List.of(a)),
                changeEvent("itsm.change.state-changed", change, "CHG0010042", "REVIEW", List.of(a, b)));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/cmdb/cis/" + b).then().body("underChange", nullValue()));
        given().get("/api/cmdb/cis/" + a).then().header("ETag", "\"2\"").body("underChange", nullValue());
        List<CloudEvent> events = TestKafka.events(Topics.CMDB_EVENTS, a::equals, 3, Duration.ofSeconds(10));
        assertThat(events).extracting(CloudEvent::type).containsExactly("itsm.ci.created", "itsm.ci.updated", "itsm.ci.updated");
    }

    @Test
    void aMalformedChangeEventIsDeadLetteredAndConsumptionGoesOn() {
        String a = ci("uc-poison");
        UUID poisonId = UUID.randomUUID();
        CloudEvent poison = new CloudEvent(UUID.randomUUID(), Aggregate.CHANGE.source(), "itsm.change.state-changed", poisonId.toString(),
                Instant.now(), Aggregate.CHANGE.dataschema(), "{\"change\":{\"state\":\"IMPLEMENT\"}}".getBytes(StandardCharsets.UTF_8), Map.of());
        UUID change = UUID.randomUUID();
        send(poison, changeEvent("itsm.change.implemented", change, "CHG0010044", "IMPLEMENT", List.of(a)));
        List<ConsumerRecord<String, byte[]>> dead = await().atMost(Duration.ofSeconds(20)).until(
                () -> TestKafka.records(Topics.deadLetter(Topics.CHANGE_EVENTS), 1, Duration.ofSeconds(1)).stream()
                        .filter(r -> poisonId.toString().equals(r.key())).toList(), records -> records.size() == 1);
        assertThat(new String(dead.get(0).headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8)).contains("data.change.id");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/cmdb/cis/" + a).then()
                .body("underChange.changeNumber", equalTo("CHG0010044")));
    }
}
