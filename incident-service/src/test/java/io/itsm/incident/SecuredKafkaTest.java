package io.itsm.incident;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.itsm.events.CloudEvent;
import io.itsm.events.KafkaCloudEvents;
import io.itsm.events.Topics;
import io.itsm.incident.ci.ConfigurationItem;
import io.itsm.testsupport.PostgresTestResource;
import io.itsm.testsupport.SaslKafkaTestResource;
import io.itsm.testsupport.SaslTestKafka;
import io.itsm.testsupport.TestKafka;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

/**
 * The service on a Kafka cluster that takes only authenticated clients and authorizes by ACLs, configured through its
 * {@code kafka.*} settings alone (as the deployment does with {@code KAFKA_SECURITY_PROTOCOL}, {@code
 * KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG}): the outbox relay publishes with them, the consumers read with
 * them, and the service user needs no more than the ACLs of its {@code KafkaUser}.
 */
@QuarkusTest
@TestProfile(SecuredKafkaTest.SecuredKafka.class)
@TestSecurity(user = "sam.agent", roles = "itsm-agent")
class SecuredKafkaTest {

    public static class SecuredKafka implements QuarkusTestProfile {
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(
                    // the ACLs of incident-service's KafkaUser (deploy/kubernetes/base/kafka/users.yaml)
                    new TestResourceEntry(SaslKafkaTestResource.class, Map.of(
                            "topics", "itsm.incident.events,itsm.incident.events.dlq,itsm.cmdb.events,itsm.cmdb.events.dlq,"
                                    + "itsm.change.events,itsm.change.events.dlq",
                            "read-topics", "itsm.incident.events,itsm.cmdb.events,itsm.change.events",
                            "write-topics", "itsm.incident.events,itsm.cmdb.events.dlq,itsm.change.events.dlq",
                            "group", "incident-service")),
                    new TestResourceEntry(PostgresTestResource.class, Map.of("database", "incident")));
        }
    }

    @Test
    void theRelayPublishesThroughTheSecuredListener() {
        String id = given().contentType(ContentType.JSON)
                .body("{\"shortDescription\":\"Payroll batch failed\",\"impact\":2,\"urgency\":2}")
                .post("/api/incidents")
                .then().statusCode(201).extract().path("id");

        List<CloudEvent> events = TestKafka.records(SaslTestKafka.bootstrapServers(), SaslTestKafka.adminSettings(),
                        Topics.INCIDENT_EVENTS, r -> id.equals(r.key()), 1, Duration.ofSeconds(30)).stream()
                .map(r -> KafkaCloudEvents.fromRecord(r.headers(), r.value())).toList();
        assertThat(events).extracting(CloudEvent::type).contains("itsm.incident.created");
    }

    @Test
    void theConsumerReadsThroughTheSecuredListener() {
        UUID ci = UUID.randomUUID();
        TestKafka.send(SaslTestKafka.bootstrapServers(), SaslTestKafka.adminSettings(), List.of(
                KafkaCloudEvents.toRecord(Topics.CMDB_EVENTS, CiReadModelConsumerTest.ciEvent(ci, "created", "INSTALLED", 0))));

        await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> ConfigurationItem.findById(ci)) != null);
    }

    @Test
    void theKafkaHealthCheckIsUpWithTheSettings() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        // the wellness check's admin client connects with the same SASL settings, and the broker's ACLs let it describe
        given().get("/q/health/well").then().statusCode(200)
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("UP"));
    }

    @Test
    void theListenerRefusesAClientWithoutCredentials() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SaslTestKafka.bootstrapServers());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000);
        try (KafkaProducer<String, byte[]> anonymous = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            assertThatThrownBy(() -> anonymous.send(KafkaCloudEvents.toRecord(Topics.INCIDENT_EVENTS,
                    CiReadModelConsumerTest.ciEvent(UUID.randomUUID(), "created", "INSTALLED", 0))).get())
                    .as("without the SASL settings nothing reaches the topic").isNotNull();
        }
    }

    @Test
    void theServiceUserMayNotWriteOutsideItsAcls() {
        Map<String, Object> settings = new HashMap<>(SaslTestKafka.serviceSettings());
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000);
        assertThatThrownBy(() -> TestKafka.send(SaslTestKafka.bootstrapServers(), settings,
                List.of(KafkaCloudEvents.toRecord(Topics.CMDB_EVENTS, CiReadModelConsumerTest.ciEvent(UUID.randomUUID(), "created", "INSTALLED", 0)))))
                .as("incident-service reads the CMDB's events, it may not write them").isInstanceOf(IllegalStateException.class);
    }
}
