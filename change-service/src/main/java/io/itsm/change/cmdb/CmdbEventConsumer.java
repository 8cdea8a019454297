package io.itsm.change.cmdb;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.itsm.events.CloudEvent;
import io.itsm.events.KafkaCloudEvents;
import io.itsm.events.inbox.IdempotentConsumer;
import io.smallrye.common.annotation.Blocking;

/**
 * Consumes {@code itsm.cmdb.events} into the CMDB read model, once per event; an event that cannot be applied goes
 * to {@code itsm.cmdb.events.dlq} with the reason, and consumption goes on.
 */
@ApplicationScoped
public class CmdbEventConsumer {

    @Inject
    IdempotentConsumer inbox;

    @Inject
    CmdbReadModel readModel;

    @Incoming("cmdb-events")
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        CloudEvent event = KafkaCloudEvents.fromRecord(record.headers(), record.value());
        inbox.consume(record.topic(), event, readModel::apply);
    }
}
