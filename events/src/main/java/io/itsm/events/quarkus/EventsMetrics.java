package io.itsm.events.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.itsm.events.inbox.IdempotentConsumer;
import io.itsm.events.outbox.OutboxRelay;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes the outbox relay's and the idempotent consumer's counts as Prometheus metrics
 * ({@code itsm_outbox_published_total}, {@code itsm_inbox_events_total{outcome=...}},
 * {@code itsm_inbox_waiting_for_datastore}).
 */
@ApplicationScoped
public class EventsMetrics implements MeterBinder {

    @Inject
    OutboxRelayService relay;

    @Inject
    Instance<IdempotentConsumer> consumers;

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("itsm.outbox.published", relay,
                        r -> r.status().map(OutboxRelay.Status::published).orElse(0L))
                .description("Events the outbox relay published to Kafka").register(registry);
        FunctionCounter.builder("itsm.outbox.publish.failures", relay,
                        r -> r.status().map(OutboxRelay.Status::failures).orElse(0L))
                .description("Relay passes that failed and were retried").register(registry);
        if (consumers.isResolvable()) {
            IdempotentConsumer consumer = consumers.get();
            FunctionCounter.builder("itsm.inbox.events", consumer, IdempotentConsumer::appliedCount)
                    .tag("outcome", "applied").description("Consumed events by outcome").register(registry);
            FunctionCounter.builder("itsm.inbox.events", consumer, IdempotentConsumer::duplicateCount)
                    .tag("outcome", "duplicate").description("Consumed events by outcome").register(registry);
            FunctionCounter.builder("itsm.inbox.events", consumer, IdempotentConsumer::failedCount)
                    .tag("outcome", "failed").description("Consumed events by outcome").register(registry);
            Gauge.builder("itsm.inbox.waiting.for.datastore", consumer, IdempotentConsumer::waitingForDatastore)
                    .description("Events waiting now for the consumer's datastore to be reachable again (their "
                            + "partitions wait with them)").register(registry);
        }
    }
}
