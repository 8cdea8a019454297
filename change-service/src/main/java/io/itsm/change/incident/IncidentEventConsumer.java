package io.itsm.change.incident;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.itsm.events.CloudEvent;
import io.itsm.events.KafkaCloudEvents;
import io.itsm.events.inbox.IdempotentConsumer;
import io.smallrye.common.annotation.Blocking;

/**
 * Consumes {@code itsm.incident.events} into the incident read model, once per event. An event that cannot be
 * applied goes to {@code itsm.incident.events.dlq} with the reason (SmallRye's dead-letter strategy), and
 * consumption goes on.
 */
@ApplicationScoped
public class IncidentEventConsumer {

    @Inject
    IdempotentConsumer inbox;

    @Inject
    IncidentReadModel readModel;

    @Incoming("incident-events")
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        CloudEvent event = KafkaCloudEvents.fromRecord(record.headers(), record.value());
        inbox.consume(record.topic(), event, readModel::apply);
    }
}
