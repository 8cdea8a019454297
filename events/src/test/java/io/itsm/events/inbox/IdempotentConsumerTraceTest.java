package io.itsm.events.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.itsm.events.CloudEvent;
import io.itsm.events.trace.Causation;

/** The events a consumed event causes continue its trace: its traceparent and request id are current while it is handled. */
class IdempotentConsumerTraceTest {

    /** Runs the work at once: there is no database here. */
    private static final TransactionRunner NO_TRANSACTION = new TransactionRunner() {
        @Override
        public <T> T inNewTransaction(java.util.concurrent.Callable<T> work) throws Exception {
            return work.call();
        }
    };

    private final IdempotentConsumer consumer = new IdempotentConsumer(NO_TRANSACTION, (topic, event) -> true,
            IdempotentConsumer.RetryPolicy.defaults());

    private static CloudEvent event(Map<String, String> extensions) {
        return new CloudEvent(UUID.randomUUID(), URI.create("/itsm/incident-service"), "itsm.incident.created", "42",
                Instant.now(), null, "{}".getBytes(), extensions);
    }

    @Test
    void theHandlerSeesTheEventsTraceparentAndOnlyWhileHandlingIt() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        AtomicReference<String> seen = new AtomicReference<>();
        AtomicReference<String> requestId = new AtomicReference<>();
        consumer.consume("itsm.incident.events", event(Map.of("traceparent", traceparent, "requestid", "req-7")), e -> {
            seen.set(Causation.traceparentOfConsumedEvent());
            requestId.set(Causation.requestIdOfConsumedEvent());
        });
        assertThat(seen).hasValue(traceparent);
        assertThat(requestId).hasValue("req-7");
        assertThat(Causation.consuming()).isFalse();
    }

    @Test
    void inABatchEachEventIsHandledWhileItsOwnTraceIsCurrentAndTheStoreIsToldBetweenEvents() {
        java.util.concurrent.atomic.AtomicInteger between = new java.util.concurrent.atomic.AtomicInteger();
        IdempotentConsumer batching = new IdempotentConsumer(new TransactionRunner() {
            @Override
            public <T> T inNewTransaction(java.util.concurrent.Callable<T> work) throws Exception {
                return work.call();
            }

            @Override
            public void betweenEvents() {
                between.incrementAndGet();
            }
        }, (topic, event) -> true, IdempotentConsumer.RetryPolicy.defaults());
        String first = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        String second = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        java.util.List<String> seen = new java.util.ArrayList<>();
        batching.consumeAll("itsm.incident.events", java.util.List.of(event(Map.of("traceparent", first)),
                event(Map.of("traceparent", second)), event(Map.of())), e -> seen.add(Causation.traceparentOfConsumedEvent()));
        assertThat(seen).containsExactly(first, second, null);
        assertThat(between).hasValue(3);
        assertThat(Causation.consuming()).isFalse();
    }

    @Test
    void anEventWithoutOneCausesEventsWithoutOne() {
        AtomicReference<String> seen = new AtomicReference<>("unset");
        consumer.consume("itsm.incident.events", event(Map.of()), e -> seen.set(Causation.traceparentOfConsumedEvent()));
        assertThat(seen.get()).isNull();
    }
}
