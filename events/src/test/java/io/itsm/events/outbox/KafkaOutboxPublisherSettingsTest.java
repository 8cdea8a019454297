package io.itsm.events.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** What the relay's producer takes from the service's {@code kafka.*} settings, and what it never lets them change. */
class KafkaOutboxPublisherSettingsTest {

    @Test
    void theConnectionsSecuritySettingsAndTuningAreTaken() {
        Properties props = KafkaOutboxPublisher.producerProperties("broker:9093", Duration.ofSeconds(15), Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";",
                "ssl.truststore.type", "PEM",
                "compression.type", "lz4",
                "batch.size", "65536"));

        assertThat(props).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsKey("sasl.jaas.config")
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("compression.type", "lz4")
                .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, "65536")
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9093");
    }

    @Test
    void theDeliveryGuaranteesCannotBeWeakened() {
        Properties props = KafkaOutboxPublisher.producerProperties("broker:9093", Duration.ofSeconds(15), Map.of(
                "acks", "0",
                "enable.idempotence", "false",
                "retries", "0",
                "max.in.flight.requests.per.connection", "50",
                "delivery.timeout.ms", "1",
                "bootstrap.servers", "elsewhere:9092"));

        assertThat(props).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE)
                .containsEntry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000)
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9093");
    }

    @Test
    void settingsNoProducerKnowsAreLeftOut() {
        Properties props = KafkaOutboxPublisher.producerProperties("broker:9093", Duration.ofSeconds(15), Map.of(
                "group.id", "incident-service",
                "auto.offset.reset", "earliest",
                "health.enabled", "true"));

        assertThat(props).doesNotContainKeys("group.id", "auto.offset.reset", "health.enabled");
        assertThat(props).containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, KafkaOutboxPublisher.DEFAULT_BATCH_SIZE);
    }
}
