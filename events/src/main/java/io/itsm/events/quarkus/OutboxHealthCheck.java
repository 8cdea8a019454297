package io.itsm.events.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.itsm.events.outbox.OutboxStore;

/**
 * Reports the outbox: how many events wait and whether the relay is failing. It stays UP while Kafka is
 * down, because writes are still safe then (they wait in the outbox); the Kafka check reports the broker.
 */
@Readiness
@ApplicationScoped
public class OutboxHealthCheck implements HealthCheck {

    @Inject
    OutboxRelayService relayService;

    @Inject
    Instance<OutboxStore> stores;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("outbox").up();
        relayService.status().ifPresentOrElse(status -> {
            response.withData("relay", status.running() ? "running" : "stopped");
            response.withData("published", status.published());
            response.withData("consecutiveFailures", status.consecutiveFailures());
            if (status.lastError() != null) {
                response.withData("lastError", status.lastError());
            }
        }, () -> response.withData("relay", "disabled"));
        if (stores.isResolvable()) {
            try {
                response.withData("pending", stores.get().pending());
            } catch (Exception e) {
                response.down().withData("error", "outbox unreadable: " + e.getMessage());
            }
        }
        return response.build();
    }
}
