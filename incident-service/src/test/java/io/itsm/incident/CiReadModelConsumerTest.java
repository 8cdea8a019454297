package io.itsm.incident;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import io.itsm.events.Aggregate;
import io.itsm.events.CloudEvent;
import io.itsm.events.KafkaCloudEvents;
import io.itsm.events.Topics;
import io.itsm.events.inbox.IdempotentConsumer;
import io.itsm.incident.ci.ConfigurationItem;
import io.itsm.testsupport.TestKafka;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/**
 * The CI read model fed by real {@code itsm.cmdb.events} records: each event applied once, stale versions
 * ignored, poison dead-lettered without stopping the partition, and incidents checked against it.
 */
@QuarkusTest
@TestSecurity(user = "sam.agent", roles = "itsm-agent")
class CiReadModelConsumerTest extends IncidentTestResourcesHolder {

    @Inject
    IdempotentConsumer inbox;

    @Test
    void aCiEventIsAppliedOnceEvenWhenRedelivered() {
        UUID ci = UUID.randomUUID();
        CloudEvent created = ciEvent(ci, "created", "INSTALLED", 0);
        long appliedBefore = inbox.appliedCount();
        long duplicatesBefore = inbox.duplicateCount();

        send(created);
        await().atMost(Duration.ofSeconds(20)).until(() -> find(ci) != null);
        send(created);
        send(created);
        // same key, same partition: once the update is applied, the two redeliveries before it were consumed
        send(ciEvent(ci, "updated", "IN_MAINTENANCE", 1));
        await().atMost(Duration.ofSeconds(20)).until(() -> find(ci).version == 1);

        // The counters count after the commit that makes an effect visible, and they are the whole consumer's: a
        // previous test's batch counted late, or a redelivery after a rebalance, may add to them, never take away.
        await().atMost(Duration.ofSeconds(20)).until(() -> inbox.duplicateCount() - duplicatesBefore >= 2
                && inbox.appliedCount() - appliedBefore >= 2);
        assertThat(find(ci).status).isEqualTo("IN_MAINTENANCE");
        assertThat(inboxRows(created.id())).isEqualTo(1);
    }

    @Test
    void aLateOlderVersionDoesNotOverwriteANewerOne() {
        UUID ci = UUID.randomUUID();
        send(ciEvent(ci, "retired", "RETIRED", 3));
        await().atMost(Duration.ofSeconds(20)).until(() -> find(ci) != null);
        CloudEvent late = ciEvent(ci, "created", "INSTALLED", 0);
        send(late);
        await().atMost(Duration.ofSeconds(20)).until(() -> inboxRows(late.id()) == 1);

        assertThat(find(ci).status).isEqualTo("RETIRED");
        assertThat(find(ci).version).isEqualTo(3);
    }

    @Test
    void incidentsMayOnlyNameExistingCisThatAreNotRetired() {
        UUID live = UUID.randomUUID();
        UUID retired = UUID.randomUUID();
        UUID unknown = UUID.randomUUID();
        send(ciEvent(live, "created", "INSTALLED", 0));
        send(ciEvent(retired, "retired", "RETIRED", 1));
        await().atMost(Duration.ofSeconds(20)).until(() -> find(live) != null && find(retired) != null);

        open(List.of(live)).then().statusCode(201).body("configurationItemIds[0]", equalTo(live.toString()));
        open(List.of(live, unknown)).then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("configurationItemIds[1]"))
                .body("errors[0].message", containsString("does not exist"));
        open(List.of(retired)).then().statusCode(422).body("errors[0].message", containsString("is retired"));
    }

    @Test
    void aPoisonEventGoesToTheDeadLetterTopicWithItsReasonAndConsumptionGoesOn() {
        UUID ci = UUID.randomUUID();
        // on the same partition as the good event that follows it: same key
        CloudEvent poison = new CloudEvent(UUID.randomUUID(), Aggregate.CI.source(), "itsm.ci.updated", ci.toString(),
                Instant.now(), Aggregate.CI.dataschema(), "{\"ci\":{\"id\":\"not-a-uuid\"}}".getBytes(StandardCharsets.UTF_8), Map.of());
        ProducerRecord<String, byte[]> noHeaders = new ProducerRecord<>(Topics.CMDB_EVENTS, ci.toString(), "{}".getBytes(StandardCharsets.UTF_8));
        TestKafka.send(List.of(KafkaCloudEvents.toRecord(Topics.CMDB_EVENTS, poison), noHeaders));
        send(ciEvent(ci, "created", "INSTALLED", 0));

        await().atMost(Duration.ofSeconds(20)).until(() -> find(ci) != null);
        List<ConsumerRecord<String, byte[]>> dead = await().atMost(Duration.ofSeconds(20)).until(
                () -> TestKafka.records(Topics.deadLetter(Topics.CMDB_EVENTS), 100, Duration.ofSeconds(1)).stream()
                        .filter(r -> ci.toString().equals(r.key())).toList(),
                records -> records.size() == 2);
        assertThat(header(dead.get(0), "dead-letter-reason")).contains("data.ci.id is not a UUID");
        assertThat(header(dead.get(0), "ce_id")).isEqualTo(poison.id().toString());
        assertThat(header(dead.get(1), "dead-letter-reason")).contains("ce_id is missing");
        assertThat(inboxRows(poison.id())).isZero();
    }

    @Test
    void aPoisonEventAmongGoodOnesOfOnePollIsTheOnlyOneDeadLettered() {
        UUID ci = UUID.randomUUID();
        CloudEvent created = ciEvent(ci, "created", "INSTALLED", 0);
        CloudEvent poison = new CloudEvent(UUID.randomUUID(), Aggregate.CI.source(), "itsm.ci.updated", ci.toString(),
                Instant.now(), Aggregate.CI.dataschema(), "{\"ci\":{\"id\":\"not-a-uuid\"}}".getBytes(StandardCharsets.UTF_8), Map.of());
        CloudEvent updated = ciEvent(ci, "updated", "IN_MAINTENANCE", 1);
        // one send, one key: one partition, in this order, so that they normally arrive in one poll (one batch)
        TestKafka.send(List.of(KafkaCloudEvents.toRecord(Topics.CMDB_EVENTS, created),
                KafkaCloudEvents.toRecord(Topics.CMDB_EVENTS, poison), KafkaCloudEvents.toRecord(Topics.CMDB_EVENTS, created),
                KafkaCloudEvents.toRecord(Topics.CMDB_EVENTS, updated)));

        await().atMost(Duration.ofSeconds(20)).until(() -> find(ci) != null && find(ci).version == 1);
        assertThat(find(ci).status).isEqualTo("IN_MAINTENANCE");
        assertThat(inboxRows(created.id())).isEqualTo(1);
        assertThat(inboxRows(updated.id())).isEqualTo(1);
        assertThat(inboxRows(poison.id())).isZero();
        List<ConsumerRecord<String, byte[]>> dead = await().atMost(Duration.ofSeconds(20)).until(
                () -> TestKafka.records(Topics.deadLetter(Topics.CMDB_EVENTS), 100, Duration.ofSeconds(1)).stream()
                        .filter(r -> ci.toString().equals(r.key())).toList(),
                records -> !records.isEmpty());
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), "ce_id")).isEqualTo(poison.id().toString());
        assertThat(header(dead.get(0), "dead-letter-reason")).contains("data.ci.id is not a UUID");
    }

    @Test
    void aPollOfEventsAboutSeveralCisEndsAsEventByEventWould() {
        UUID updated = UUID.randomUUID();
        UUID retired = UUID.randomUUID();
        UUID deleted = UUID.randomUUID();
        CloudEvent deletion = ciEvent(deleted, "deleted", "RETIRED", 1);
        CloudEvent relationship = new CloudEvent(UUID.randomUUID(), Aggregate.RELATIONSHIP.source(), "itsm.relationship.created",
                UUID.randomUUID().toString(), Instant.now(), Aggregate.RELATIONSHIP.dataschema(), "{}".getBytes(StandardCharsets.UTF_8), Map.of());
        // one send: normally one poll, applied as one batch with the CIs read by one query
        TestKafka.send(List.of(
                KafkaCloudEvents.toRecord(Topics.CMDB_EVENTS, ciEvent(updated, "created", "INSTALLED", 0)),
                KafkaCloudEvents.toRecord(Topics.CMDB_EVENTS, ciEvent(retired, "retired", "RETIRED", 2)),
                KafkaCloudEvents.toRecord(Topics.CMDB_EVENTS, ciEvent(deleted, "created", "INSTALLED", 0)),
                KafkaCloudEvents.toRecord(Topics.CMDB_EVENTS, relationship),
                KafkaCloudEvents.toRecord(Topics.CMDB_EVENTS, ciEvent(updated, "updated", "IN_MAINTENANCE", 1)),
                KafkaCloudEvents.toRecord(Topics.CMDB_EVENTS, ciEvent(retired, "created", "INSTALLED", 0)),
                KafkaCloudEvents.toRecord(Topics.CMDB_EVENTS, deletion)));

        await().atMost(Duration.ofSeconds(20)).until(() -> inboxRows(deletion.id()) == 1 && inboxRows(relationship.id()) == 1);
        assertThat(find(updated).version).isEqualTo(1);
        assertThat(find(updated).status).isEqualTo("IN_MAINTENANCE");
        assertThat(find(retired).version).as("the late older version changed nothing").isEqualTo(2);
        assertThat(find(retired).status).isEqualTo("RETIRED");
        assertThat(find(deleted)).isNull();
    }

    static CloudEvent ciEvent(UUID id, String action, String status, long version) {
        String data = """
                {"ci":{"id":"%s","number":"CI%07d","ciClass":"linux_server","name":"web-%s","status":"%s","version":%d,
                "createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"},"changes":[]}"""
                .formatted(id, Math.abs(id.hashCode() % 10_000_000), id.toString().substring(0, 8), status, version);
        return new CloudEvent(UUID.randomUUID(), Aggregate.CI.source(), Aggregate.CI.eventType(action), id.toString(),
                Instant.now(), Aggregate.CI.dataschema(), data.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static void send(CloudEvent event) {
        TestKafka.send(List.of(KafkaCloudEvents.toRecord(Topics.CMDB_EVENTS, event)));
    }

    private static io.restassured.response.Response open(List<UUID> cis) {
        String ids = cis.stream().map(u -> "\"" + u + "\"").reduce((a, b) -> a + "," + b).orElse("");
        return given().contentType(ContentType.JSON)
                .body("{\"shortDescription\":\"Web tier slow\",\"impact\":2,\"urgency\":2,\"configurationItemIds\":[" + ids + "]}")
                .post("/api/incidents");
    }

    private static ConfigurationItem find(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> ConfigurationItem.<ConfigurationItem>findById(id));
    }

    private static long inboxRows(UUID eventId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) ConfigurationItem.getEntityManager()
                .createNativeQuery("select count(*) from inbox_event where event_id = ?1")
                .setParameter(1, eventId).getSingleResult()).longValue());
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
