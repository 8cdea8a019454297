package io.itsm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.itsm.events.Topics;
import io.itsm.localstack.LocalStack;
import io.itsm.testsupport.TestKafka;

/**
 * A poison record on each event topic (not a CloudEvent at all) lands in the topic's dead-letter topic with the
 * reason, and the consumers go on: the events written after it are consumed, and a CI created after it can be named
 * by an incident.
 */
@ExtendWith(RunningSuite.class)
@Order(6)
class PoisonEventTest {

    private static final Map<String, List<String>> CONSUMERS = Map.of(
            Topics.CMDB_EVENTS, List.of("incident-service", "change-service"),
            Topics.CHANGE_EVENTS, List.of("incident-service", "cmdb-service"),
            Topics.INCIDENT_EVENTS, List.of("change-service"));

    @Test
    void aPoisonRecordOnEachTopicIsDeadLetteredWithItsReasonAndConsumptionGoesOn() {
        LocalStack stack = RunningSuite.stack();
        String bootstrap = stack.kafka().bootstrapServers();
        String marker = UUID.randomUUID().toString();
        for (String topic : Topics.EVENT_TOPICS) {
            TestKafka.send(bootstrap, List.of(new ProducerRecord<>(topic, "poison-" + marker,
                    "{\"this is\": \"not a CloudEvent\"".getBytes(StandardCharsets.UTF_8))));
        }
        // written after the poison: an event on each topic
        SuiteClient gateway = RunningSuite.gateway();
        String ci = gateway.post("/api/cmdb/cis", "{\"ciClass\":\"application\",\"name\":\"after-poison\"}").json().path("id").asText();
        assertThat(gateway.post("/api/changes", "{\"type\":\"NORMAL\",\"shortDescription\":\"after poison\"}").status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> gateway.post("/api/incidents",
                "{\"shortDescription\":\"after poison\",\"impact\":3,\"urgency\":3,\"configurationItemIds\":[\"" + ci + "\"]}")
                .status() == 201);

        CONSUMERS.forEach((topic, groups) -> groups.forEach(group -> SuiteKafka.awaitConsumed(stack, group, topic)));
        for (String topic : Topics.EVENT_TOPICS) {
            List<ConsumerRecord<String, byte[]>> dead = TestKafka.recordsUpToNow(bootstrap, Topics.deadLetter(topic)).stream()
                    .filter(r -> ("poison-" + marker).equals(r.key())).toList();
            assertThat(dead).as("dead letters of %s", topic).hasSizeGreaterThanOrEqualTo(CONSUMERS.get(topic).size());
            for (ConsumerRecord<String, byte[]> r : dead) {
                Header reason = r.headers().lastHeader("dead-letter-reason");
                assertThat(reason).as("the reason on a dead letter of %s", topic).isNotNull();
                assertThat(new String(reason.value(), StandardCharsets.UTF_8)).isNotBlank();
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).contains("not a CloudEvent");
            }
        }
    }
}
