package io.itsm.events.quarkus;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.itsm.events.inbox.IdempotentConsumer;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Stops the service's idempotent consumer as the first thing of a shutdown: the Kafka consumers keep polling for a
 * while after it begins, and what they get then would fail on a closing persistence unit or pool and, after its
 * retries, land on the dead-letter topic while its offset is committed, so the restarted service would never apply it.
 * Stopped, the consumer leaves such records unacknowledged for redelivery instead ({@link IdempotentConsumer#stop()}).
 */
@ApplicationScoped
public class InboxShutdown {

    @Inject
    Instance<IdempotentConsumer> consumers;

    void stop(@Observes @Priority(1) ShutdownEvent event) {
        consumers.forEach(IdempotentConsumer::stop);
    }
}
