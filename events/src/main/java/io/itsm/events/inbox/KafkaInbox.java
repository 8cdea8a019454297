package io.itsm.events.inbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.reactive.messaging.Message;

import io.itsm.events.CloudEvent;
import io.itsm.events.KafkaCloudEvents;
import io.itsm.events.MalformedEventException;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * Feeds a poll's Kafka records (a channel with {@code batch=true}) to the {@link IdempotentConsumer}: the batch is
 * applied in one transaction, and only a record that fails on its own (not a CloudEvent, malformed, or still failing
 * after its retries) is nacked, which the channel's dead-letter strategy turns into a record on {@code <topic>.dlq}
 * with the reason. The batch is acknowledged once those are on the dead-letter topic, so consumption goes on and
 * nothing is dropped; per partition the records keep their order.
 */
public final class KafkaInbox {

    private KafkaInbox() {
    }

    /**
     * Consumes the batch and acknowledges it: an {@code @Incoming} method that is {@code @Blocking} and takes the
     * batch's {@code Message<List<byte[]>>} returns this.
     */
    public static CompletionStage<Void> consume(IdempotentConsumer inbox, Message<?> batch, EventHandler handler) {
        @SuppressWarnings("unchecked")
        IncomingKafkaRecordBatchMetadata<String, ?> polled = batch.getMetadata(IncomingKafkaRecordBatchMetadata.class)
                .orElseThrow(() -> new IllegalArgumentException("not a batch of Kafka records: the channel needs batch=true"));
        List<CompletionStage<Void>> deadLetters = new ArrayList<>();
        Map<String, List<Message<?>>> recordsByTopic = new LinkedHashMap<>();
        Map<String, List<CloudEvent>> eventsByTopic = new LinkedHashMap<>();
        for (Message<?> record : polled.getBatchedMessages()) {
            IncomingKafkaRecordMetadata<?, ?> kafka = record.getMetadata(IncomingKafkaRecordMetadata.class).orElseThrow();
            CloudEvent event;
            try {
                if (!(record.getPayload() instanceof byte[] value)) {
                    throw new MalformedEventException("the record's value is not bytes (the channel needs the ByteArrayDeserializer)");
                }
                event = KafkaCloudEvents.fromRecord(kafka.getHeaders(), value);
            } catch (MalformedEventException e) {
                deadLetters.add(record.nack(e));
                continue;
            }
            recordsByTopic.computeIfAbsent(kafka.getTopic(), t -> new ArrayList<>()).add(record);
            eventsByTopic.computeIfAbsent(kafka.getTopic(), t -> new ArrayList<>()).add(event);
        }
        eventsByTopic.forEach((topic, events) -> {
            List<Message<?>> records = recordsByTopic.get(topic);
            inbox.consumeAll(topic, events, handler).failures()
                    .forEach((index, reason) -> deadLetters.add(records.get(index).nack(reason)));
        });
        return CompletableFuture.allOf(deadLetters.stream().map(CompletionStage::toCompletableFuture)
                        .toArray(CompletableFuture[]::new))
                .thenCompose(sent -> batch.ack());
    }
}
