package io.itsm.incident.ci;

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
    public CompletionStage<Void> consume(Message<List<byte[]>> batch) {
        return KafkaInbox.consume(inbox, batch, BatchEventHandler.of(readModel::apply, readModel::applyAll));
    }
}
