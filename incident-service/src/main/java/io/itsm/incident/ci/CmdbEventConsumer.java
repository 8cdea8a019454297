package io.itsm.incident.ci;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.itsm.events.CloudEvent;
import io.itsm.events.KafkaCloudEvents;
import io.itsm.events.inbox.IdempotentConsumer;
import io.smallrye.common.annotation.Blocking;

/**
 * Consumes {@code itsm.cmdb.events} into the CI read model, once per event. An event that cannot be
 * applied is thrown back to SmallRye Reactive Messaging, whose dead-letter strategy sends it to
 * {@code itsm.cmdb.events.dlq} with the reason and moves on.
 */
@ApplicationScoped
public class CmdbEventConsumer {

    @Inject
    IdempotentConsumer inbox;

    @Inject
    CiReadModel readModel;

    @Incoming("cmdb-events")
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        CloudEvent event = KafkaCloudEvents.fromRecord(record.headers(), record.value());
        inbox.consume(record.topic(), event, readModel::apply);
    }
}
