package io.itsm.events.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.itsm.events.CloudEvent;
import io.itsm.events.KafkaCloudEvents;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * Failures that are not the event's never send it to the dead-letter topic: the datastore being unreachable (retried
 * until it is back), and the consumer stopping (the event is left unacknowledged for redelivery). A failure of the
 * event itself still goes there after its attempts.
 */
class IdempotentConsumerOutageAndStopTest {

    /** What the datastore's outage test recognises. */
    static final class Unreachable extends RuntimeException {
        Unreachable() {
            super("connection refused");
        }
    }

    private static final TransactionRunner NO_TRANSACTION = new TransactionRunner() {
        @Override
        public <T> T inNewTransaction(java.util.concurrent.Callable<T> work) throws Exception {
            return work.call();
        }
    };

    private final List<UUID> recorded = new ArrayList<>();
    private final IdempotentConsumer consumer = new IdempotentConsumer(NO_TRANSACTION, (topic, event) -> {
        recorded.add(event.id());
        return true;
    }, new IdempotentConsumer.RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(20)),
            failure -> failure instanceof Unreachable);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void shutdown() {
        scheduler.shutdownNow();
    }

    private static CloudEvent event() {
        return new CloudEvent(UUID.randomUUID(), URI.create("/itsm/cmdb-service"), "itsm.ci.created", "42",
                Instant.now(), null, "{}".getBytes(), Map.of());
    }

    @Test
    void anOutageIsRetriedPastTheAttemptLimitAndTheEventAppliedOnceTheDatastoreIsBack() {
        AtomicInteger calls = new AtomicInteger();
        List<Integer> waiting = new ArrayList<>();
        IdempotentConsumer.Outcome outcome = consumer.consume("itsm.cmdb.events", event(), e -> {
            waiting.add(consumer.waitingForDatastore());
            if (calls.incrementAndGet() <= 10) {
                throw new Unreachable();
            }
        });
        assertThat(outcome).isEqualTo(IdempotentConsumer.Outcome.APPLIED);
        assertThat(calls).hasValue(11);
        // the gauge: nothing waits before the first failure, the event while it is retried, nothing once applied
        assertThat(waiting).containsExactly(0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        assertThat(consumer.waitingForDatastore()).isZero();
        assertThat(consumer.failedCount()).isZero();
        assertThat(consumer.appliedCount()).isEqualTo(1);
    }

    @Test
    void aFailureOfTheEventItselfStillEndsInTheDeadLetterTopicAfterItsAttempts() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> consumer.consume("itsm.cmdb.events", event(), e -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException("no such class");
        })).isInstanceOf(EventProcessingException.class).hasMessageContaining("failed after 3 attempts");
        assertThat(calls).hasValue(3);
        assertThat(consumer.failedCount()).isEqualTo(1);
    }

    @Test
    void aStoppedConsumerAppliesNothingAndLeavesEveryEventForRedelivery() {
        consumer.stop();
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> consumer.consume("itsm.cmdb.events", event(), e -> calls.incrementAndGet()))
                .isInstanceOf(ConsumerStoppedException.class).hasMessageContaining("left for redelivery");
        assertThatThrownBy(() -> consumer.consumeAll("itsm.cmdb.events", List.of(event(), event()),
                e -> calls.incrementAndGet())).isInstanceOf(ConsumerStoppedException.class);
        assertThat(calls).hasValue(0);
        assertThat(recorded).isEmpty();
        assertThat(consumer.stopping()).isTrue();
        assertThat(consumer.failedCount()).isZero();
    }

    @Test
    void aFailureWhileStoppingIsNotRetriedNorDeadLettered() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> consumer.consume("itsm.cmdb.events", event(), e -> {
            calls.incrementAndGet();
            consumer.stop(); // the shutdown begins while the event is applied; its persistence unit closes
            throw new IllegalStateException("EntityManagerFactory is closed");
        })).isInstanceOf(ConsumerStoppedException.class)
                .hasMessageContaining("EntityManagerFactory is closed")
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(calls).hasValue(1);
        assertThat(consumer.failedCount()).isZero();
    }

    @Test
    void stoppingEndsTheWaitForTheDatastore() {
        IdempotentConsumer patient = new IdempotentConsumer(NO_TRANSACTION, (topic, event) -> true,
                new IdempotentConsumer.RetryPolicy(3, Duration.ofMillis(50), Duration.ofSeconds(30)),
                failure -> failure instanceof Unreachable);
        AtomicInteger calls = new AtomicInteger();
        scheduler.schedule(patient::stop, 300, TimeUnit.MILLISECONDS);
        // without the stop this would retry for as long as the test let it (the backoff reaching 30 s)
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(() ->
                patient.consume("itsm.cmdb.events", event(), e -> {
                    calls.incrementAndGet();
                    throw new Unreachable();
                })).isInstanceOf(ConsumerStoppedException.class));
        assertThat(calls.get()).isGreaterThanOrEqualTo(2);
        assertThat(patient.failedCount()).isZero();
        assertThat(patient.waitingForDatastore()).isZero();
    }

    @Test
    void aBatchInterruptedByTheStopKeepsWhatWasAppliedAndLeavesTheRest() {
        List<CloudEvent> batch = List.of(event(), event(), event());
        List<UUID> applied = new ArrayList<>();
        assertThatThrownBy(() -> consumer.consumeAll("itsm.cmdb.events", batch, e -> {
            if (e == batch.get(1)) {
                consumer.stop();
                throw new IllegalStateException("the pool is closed");
            }
            applied.add(e.id());
        })).isInstanceOf(ConsumerStoppedException.class);
        // the batch's transaction failed as a whole; nothing after the stop was tried again
        assertThat(applied).containsExactly(batch.get(0).id());
        assertThat(consumer.failedCount()).isZero();
    }

    @Test
    void kafkaInboxNeitherAcknowledgesNorNacksARecordTheStoppedConsumerLeft() {
        consumer.stop();
        AtomicInteger acks = new AtomicInteger();
        AtomicInteger nacks = new AtomicInteger();
        Message<byte[]> record = record(event(), acks, nacks);

        CompletionStage<Void> settled = KafkaInbox.consume(consumer, record, e -> { });

        assertThat(settled.toCompletableFuture()).isNotDone();
        assertThat(acks).hasValue(0);
        assertThat(nacks).hasValue(0);
    }

    @Test
    void kafkaInboxAcknowledgesOneAppliedRecordAndNacksOneThatCannotBeApplied() {
        AtomicInteger acks = new AtomicInteger();
        AtomicInteger nacks = new AtomicInteger();
        KafkaInbox.consume(consumer, record(event(), acks, nacks), e -> { }).toCompletableFuture().join();
        assertThat(acks).hasValue(1);
        assertThat(nacks).hasValue(0);

        KafkaInbox.consume(consumer, record(event(), acks, nacks), e -> {
            throw new IllegalArgumentException("no such class");
        }).toCompletableFuture().join();
        assertThat(acks).hasValue(1);
        assertThat(nacks).hasValue(1);
    }

    private static Message<byte[]> record(CloudEvent event, AtomicInteger acks, AtomicInteger nacks) {
        ProducerRecord<String, byte[]> sent = KafkaCloudEvents.toRecord("itsm.cmdb.events", event);
        ConsumerRecord<String, byte[]> received = new ConsumerRecord<>(sent.topic(), 0, 7L, sent.key(), sent.value());
        sent.headers().forEach(h -> received.headers().add(h));
        return Message.of(sent.value(), Metadata.of(new IncomingKafkaRecordMetadata<>(received, "cmdb-events")),
                () -> {
                    acks.incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                },
                reason -> {
                    nacks.incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                });
    }
}
