package io.itsm.events.inbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.itsm.events.CloudEvent;
import io.itsm.events.KafkaCloudEvents;
import io.itsm.events.MalformedEventException;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * Feeds a poll's Kafka records (a channel with {@code batch=true}), or one record, to the {@link IdempotentConsumer}:
 * the batch is applied in one transaction, and only a record that fails on its own (not a CloudEvent, malformed, or
 * still failing after its retries) is nacked, which the channel's dead-letter strategy turns into a record on
 * {@code <topic>.dlq} with the reason. The batch is acknowledged once those are on the dead-letter topic, so
 * consumption goes on and nothing is dropped; per partition the records keep their order.
 *
 * <p>When the consumer stops (the service shuts down) before the batch is applied, the batch is neither acknowledged
 * nor nacked: its offsets are not committed, and it is delivered again after the restart.
 */
public final class KafkaInbox {

    private static final Logger LOG = Logger.getLogger(KafkaInbox.class);

    private KafkaInbox() {
    }

    /**
     * Consumes the batch (or the one record) and acknowledges it: an {@code @Incoming} method that is {@code @Blocking}
     * and takes the batch's {@code Message<List<byte[]>>} (or a record's {@code Message<byte[]>}) returns this.
     */
    public static CompletionStage<Void> consume(IdempotentConsumer inbox, Message<?> batch, EventHandler handler) {
        try {
            return consumeRecords(inbox, batch, records(batch), handler);
        } catch (ConsumerStoppedException e) {
            LOG.infof("%s", e.getMessage());
            return new CompletableFuture<>(); // never acknowledged: read again after the restart
        }
    }

    private static List<? extends Message<?>> records(Message<?> message) {
        @SuppressWarnings("unchecked")
        IncomingKafkaRecordBatchMetadata<String, ?> polled = message.getMetadata(IncomingKafkaRecordBatchMetadata.class)
                .orElse(null);
        if (polled != null) {
            return polled.getBatchedMessages();
        }
        if (message.getMetadata(IncomingKafkaRecordMetadata.class).isEmpty()) {
            throw new IllegalArgumentException("neither a Kafka record nor a batch of them");
        }
        return List.of(message);
    }

    private static CompletionStage<Void> consumeRecords(IdempotentConsumer inbox, Message<?> batch,
                                                        List<? extends Message<?>> polled, EventHandler handler) {
        List<CompletionStage<Void>> deadLetters = new ArrayList<>();
        Map<String, List<Message<?>>> recordsByTopic = new LinkedHashMap<>();
        Map<String, List<CloudEvent>> eventsByTopic = new LinkedHashMap<>();
        for (Message<?> record : polled) {
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
        if (polled.size() == 1 && polled.get(0) == batch && !deadLetters.isEmpty()) {
            return deadLetters.get(0); // a single record that was nacked: the dead-letter strategy settles it
        }
        return CompletableFuture.allOf(deadLetters.stream().map(CompletionStage::toCompletableFuture)
                        .toArray(CompletableFuture[]::new))
                .thenCompose(sent -> batch.ack());
    }
}
