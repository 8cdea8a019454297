package io.itsm.e2e;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.itsm.events.CloudEvent;
import io.itsm.events.KafkaCloudEvents;
import io.itsm.events.Topics;
import io.itsm.localstack.LocalStack;
import io.itsm.testsupport.TestKafka;

/** The running stack's topics as the end-to-end tests read them: their events and where the consumer groups stand. */
final class SuiteKafka {

    private SuiteKafka() {
    }

    /**
     * The CloudEvents a topic holds now, from its start. Records that are not CloudEvents at all (the poison that
     * {@link PoisonEventTest} writes on purpose) are left out.
     */
    static List<CloudEvent> eventsUpToNow(LocalStack stack, String topic) {
        return TestKafka.recordsUpToNow(stack.kafka().bootstrapServers(), topic).stream()
                .filter(r -> r.headers().lastHeader("ce_specversion") != null)
                .map(r -> KafkaCloudEvents.fromRecord(r.headers(), r.value()))
                .toList();
    }

    /** How many records each event topic's dead-letter topic holds now. */
    static Map<String, Integer> deadLetterSizes(LocalStack stack) {
        Map<String, Integer> sizes = new TreeMap<>();
        for (String topic : Topics.EVENT_TOPICS) {
            sizes.put(Topics.deadLetter(topic),
                    TestKafka.recordsUpToNow(stack.kafka().bootstrapServers(), Topics.deadLetter(topic)).size());
        }
        return sizes;
    }

    /**
     * Waits until every group has consumed every topic it reads and no event has been published for a while: an event
     * one service applies can make it publish another (a change correlated with a new incident, say), which the group
     * that was already caught up then still has to apply.
     */
    static void awaitQuiet(LocalStack stack, Map<String, List<String>> topicsByGroup) {
        List<String> topics = topicsByGroup.values().stream().flatMap(List::stream).distinct().toList();
        AtomicReference<Map<TopicPartition, Long>> before = new AtomicReference<>(endOffsets(stack, topics));
        // each pass: every group caught up, and the end offsets the same as a pass (QUIET) ago
        await().atMost(Duration.ofSeconds(120)).pollDelay(QUIET).pollInterval(QUIET).until(() -> {
            topicsByGroup.forEach((group, read) -> read.forEach(topic -> awaitConsumed(stack, group, topic)));
            Map<TopicPartition, Long> now = endOffsets(stack, topics);
            return now.equals(before.getAndSet(now));
        });
    }

    /** Longer than an outbox relay takes to publish what a consumer's transaction wrote. */
    private static final Duration QUIET = Duration.ofSeconds(2);

    private static Map<TopicPartition, Long> endOffsets(LocalStack stack, List<String> topics) {
        try (Admin admin = Admin.create(stack.kafka().adminProperties())) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((topic, description) -> description.partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((p, info) -> end.put(p, info.offset()));
            return end;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("could not read the end offsets of " + topics + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the consumer group has committed, on every partition of the topic, the end offset it has now. */
    static void awaitConsumed(LocalStack stack, String group, String topic) {
        try (Admin admin = Admin.create(stack.kafka().adminProperties())) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get()
                    .forEach((p, info) -> end.put(p, info.offset()));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                return end.entrySet().stream().allMatch(e -> e.getValue() == 0
                        || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue()));
            });
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("could not read the offsets of " + group + ": " + e.getMessage(), e);
        }
    }
}
