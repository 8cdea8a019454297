package io.itsm.change.incident;

import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.itsm.events.inbox.BatchEventHandler;
import io.itsm.events.inbox.IdempotentConsumer;
import io.itsm.events.inbox.KafkaInbox;
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
    public CompletionStage<Void> consume(Message<List<byte[]>> batch) {
        return KafkaInbox.consume(inbox, batch, BatchEventHandler.of(readModel::apply, readModel::applyAll));
    }
}
