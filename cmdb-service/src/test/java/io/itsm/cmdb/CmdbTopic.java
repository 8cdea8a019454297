package io.itsm.cmdb;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.itsm.events.Topics;
import io.itsm.testsupport.TestKafka;

/** Reads {@code itsm.cmdb.events} with a plain Kafka consumer, from the beginning, without a group. */
final class CmdbTopic {

    /** One record as the test looks at it. */
    record Event(String key, Map<String, String> headers, String data) {
        String header(String name) {
            return headers.get(name);
        }
    }

    private CmdbTopic() {
    }

    /** Every record of the aggregate currently on the topic, in offset order. */
    static List<Event> eventsOf(String aggregateId) {
        Properties props = new Properties();
        props.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        List<Event> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CMDB_EVENTS).stream()
                    .map(p -> new TopicPartition(Topics.CMDB_EVENTS, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (aggregateId.equals(r.key())) {
                        Map<String, String> headers = new java.util.HashMap<>();
                        for (Header h : r.headers()) {
                            headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
                        }
                        events.add(new Event(r.key(), headers, new String(r.value(), StandardCharsets.UTF_8)));
                    }
                }
            }
        }
        return events;
    }
}
