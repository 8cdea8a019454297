package io.itsm.events.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import io.itsm.events.KafkaCloudEvents;

/**
 * Publishes outbox entries as binary-mode CloudEvents with an idempotent producer: {@code acks=all},
 * idempotence on, at most 5 requests in flight (which the idempotent producer keeps in order), unlimited
 * retries within a bounded delivery timeout.
 *
 * <p>{@link #alreadyPublished} reads the topics' tails (from the oldest pending event's time, less {@link #CLOCK_SKEW},
 * but at most {@link #LOOKBACK} back) for the {@code ce_id} of each pending event. An event a crashed relay published
 * was sent after it was written, so it lies in that tail unless the relay stopped more than the look-back ago; then
 * it is published again, which consumers drop by event id.
 */
public class KafkaOutboxPublisher implements OutboxPublisher, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaOutboxPublisher.class);

    /** How far the clocks of the writer and of the relay that sent an event may differ. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(5);
    /** How far back {@link #alreadyPublished} reads at most. */
    static final Duration LOOKBACK = Duration.ofHours(1);
    /** How long {@link #alreadyPublished} may take before it gives up (the relay retries it). */
    static final Duration PROBE_TIMEOUT = Duration.ofMinutes(2);
    /**
     * The producer's batch per partition unless the client settings give one. A relay pass sends up to a few hundred
     * events of 1-2 KB at once; Kafka's default of 16 KB cuts them into batches of about ten, which the consumers then
     * receive in small polls, each its own transaction. 256 KB keeps a pass's events of one partition together: in an
     * import of 20,000 CIs the suite spent 15 % less CPU per CI, most of it in the consumers (bench/README.md).
     */
    static final int DEFAULT_BATCH_SIZE = 262_144;

    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, Object> consumerConfig = new HashMap<>();
    private final Duration requestTimeout;

    /**
     * @param clientSettings Kafka client settings of the service (its {@code kafka.*} configuration: the connection's
     *        security, {@code batch.size}, {@code compression.type} ...). The ones a producer or consumer knows are
     *        used; the relay's own delivery guarantees (acks, idempotence, retries, in-flight requests, timeouts) are
     *        set over them and cannot be weakened.
     */
    public KafkaOutboxPublisher(String bootstrapServers, Duration deliveryTimeout, Map<String, ?> clientSettings) {
        this.producer = new KafkaProducer<>(producerProperties(bootstrapServers, deliveryTimeout, clientSettings),
                new StringSerializer(), new ByteArraySerializer());
        this.requestTimeout = Duration.ofMillis(Math.max(deliveryTimeout.toMillis(), 1_000));
        // the consumer of alreadyPublished needs the connection's settings (security) too
        consumerConfig.putAll(KafkaClientSettings.known(clientSettings, ConsumerConfig.configNames()));
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "outbox-relay-check-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** The producer's settings: the client settings a producer knows, under the relay's delivery guarantees. */
    static Properties producerProperties(String bootstrapServers, Duration deliveryTimeout, Map<String, ?> clientSettings) {
        Properties props = new Properties();
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, DEFAULT_BATCH_SIZE);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        props.putAll(KafkaClientSettings.known(clientSettings, ProducerConfig.configNames()));
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        int timeout = (int) deliveryTimeout.toMillis();
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeout, 10_000));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(timeout, Math.min(timeout, 10_000) + 1));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay-" + UUID.randomUUID().toString().substring(0, 8));
        return props;
    }

    /** The consumer of {@link #alreadyPublished}, kept between calls (creating one costs a metadata round trip). */
    private KafkaConsumer<byte[], byte[]> checker;

    @Override
    public synchronized Set<UUID> alreadyPublished(Collection<PendingEvent> pending) {
        if (pending.isEmpty()) {
            return Set.of();
        }
        if (checker == null) {
            checker = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        try {
            return alreadyPublished(checker, pending);
        } catch (RuntimeException e) {
            checker.close(Duration.ZERO);
            checker = null;
            throw e;
        }
    }

    private Set<UUID> alreadyPublished(KafkaConsumer<byte[], byte[]> consumer, Collection<PendingEvent> pending) {
        Set<UUID> wanted = new HashSet<>();
        Map<String, Instant> oldestPerTopic = new HashMap<>();
        for (PendingEvent event : pending) {
            wanted.add(event.id());
            oldestPerTopic.merge(event.topic(), event.time(), (a, b) -> a.isBefore(b) ? a : b);
        }
        long deadline = System.nanoTime() + PROBE_TIMEOUT.toNanos();
        Instant floor = Instant.now().minus(LOOKBACK);
        Set<UUID> found = new HashSet<>();
        Map<TopicPartition, Long> from = new HashMap<>();
        for (Map.Entry<String, Instant> topic : oldestPerTopic.entrySet()) {
            Instant since = topic.getValue().minus(CLOCK_SKEW);
            long millis = (since.isBefore(floor) ? floor : since).toEpochMilli();
            for (PartitionInfo p : consumer.partitionsFor(topic.getKey(), requestTimeout)) {
                from.put(new TopicPartition(p.topic(), p.partition()), millis);
            }
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(from.keySet(), requestTimeout);
        Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(from, requestTimeout);
        List<TopicPartition> toRead = new ArrayList<>();
        start.forEach((partition, offset) -> {
            if (offset != null && offset.offset() < end.get(partition)) {
                toRead.add(partition);
            }
        });
        consumer.assign(toRead);
        toRead.forEach(partition -> consumer.seek(partition, start.get(partition).offset()));
        Set<TopicPartition> reading = new HashSet<>(toRead);
        while (!reading.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read the topics' tails within " + PROBE_TIMEOUT
                        + " to find which pending events are published already");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                Header id = record.headers().lastHeader("ce_id");
                if (id != null) {
                    try {
                        UUID eventId = UUID.fromString(new String(id.value(), StandardCharsets.UTF_8));
                        if (wanted.contains(eventId)) {
                            found.add(eventId);
                        }
                    } catch (IllegalArgumentException notOurs) {
                        // an id that is no UUID was not written by an outbox
                    }
                }
            }
            reading.removeIf(partition -> consumer.position(partition, requestTimeout) >= end.get(partition));
        }
        if (!found.isEmpty()) {
            LOG.infof("%d of %d pending events were published before the relay stopped; they are not published again",
                    found.size(), pending.size());
        }
        return found;
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
        synchronized (this) {
            if (checker != null) {
                checker.close(Duration.ofSeconds(1));
                checker = null;
            }
        }
        producer.close(Duration.ofSeconds(5));
    }
}
