package io.itsm.events.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import io.itsm.events.KafkaCloudEvents;

/**
 * Publishes outbox entries as binary-mode CloudEvents with an idempotent producer: {@code acks=all},
 * idempotence on, at most 5 requests in flight (which the idempotent producer keeps in order), unlimited
 * retries within a bounded delivery timeout.
 */
public class KafkaOutboxPublisher implements OutboxPublisher, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaOutboxPublisher.class);

    private final KafkaProducer<String, byte[]> producer;

    public KafkaOutboxPublisher(String bootstrapServers, Duration deliveryTimeout, Map<String, Object> overrides) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        int timeout = (int) deliveryTimeout.toMillis();
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeout, 10_000));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(timeout, Math.min(timeout, 10_000) + 1));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay-" + UUID.randomUUID().toString().substring(0, 8));
        props.putAll(overrides);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public Set<UUID> publish(List<OutboxEntry> entries) {
        List<Future<RecordMetadata>> sends = new ArrayList<>(entries.size());
        for (OutboxEntry entry : entries) {
            try {
                Future<RecordMetadata> send = producer.send(KafkaCloudEvents.toRecord(entry.topic(), entry.toCloudEvent()));
                sends.add(send);
                if (send.isDone()) {
                    send.get(); // an immediate failure is a metadata time-out
                }
            } catch (RuntimeException | ExecutionException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                // The broker is unreachable (metadata timed out): fail the rest at once instead of
                // blocking once more per remaining entry.
                while (sends.size() < entries.size()) {
                    sends.add(CompletableFuture.failedFuture(e));
                }
                break;
            }
        }
        producer.flush();
        Set<UUID> delivered = new LinkedHashSet<>();
        Set<String> failedAggregates = new HashSet<>();
        Exception firstFailure = null;
        for (int i = 0; i < entries.size(); i++) {
            OutboxEntry entry = entries.get(i);
            try {
                sends.get(i).get();
                if (!failedAggregates.contains(entry.aggregateId())) {
                    delivered.add(entry.id());
                }
            } catch (ExecutionException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                failedAggregates.add(entry.aggregateId());
                if (firstFailure == null) {
                    firstFailure = e;
                }
            }
        }
        if (firstFailure != null) {
            LOG.debugf("%d of %d events not acknowledged: %s", entries.size() - delivered.size(), entries.size(),
                    firstFailure.getCause() == null ? firstFailure : firstFailure.getCause());
            if (delivered.isEmpty()) {
                throw new IllegalStateException("Kafka did not acknowledge any event of the batch",
                        firstFailure.getCause() == null ? firstFailure : firstFailure.getCause());
            }
        }
        return delivered;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
