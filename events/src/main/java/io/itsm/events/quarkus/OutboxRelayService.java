package io.itsm.events.quarkus;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.itsm.events.outbox.KafkaOutboxPublisher;
import io.itsm.events.outbox.OutboxRelay;
import io.itsm.events.outbox.OutboxStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Runs the service's {@link OutboxRelay} from start-up to shutdown over whichever {@link OutboxStore} bean
 * the service has (PostgreSQL table or MongoDB documents). Shutdown lets the batch in progress finish.
 */
@ApplicationScoped
public class OutboxRelayService {

    @Inject
    Instance<OutboxStore> stores;

    @Inject
    EventsConfig config;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "127.0.0.1:19092")
    String bootstrapServers;

    @ConfigProperty(name = "quarkus.application.name", defaultValue = "itsm")
    String applicationName;

    /** The service's {@code kafka.*} configuration (Quarkus's Kafka client extension), which the connector uses too. */
    @Inject
    @Identifier("default-kafka-broker")
    Instance<Map<String, Object>> kafkaSettings;

    private volatile OutboxRelay relay;
    private volatile KafkaOutboxPublisher publisher;

    void onStart(@Observes StartupEvent event) {
        if (!config.relay().enabled() || !stores.isResolvable()) {
            return;
        }
        EventsConfig.Relay settings = config.relay();
        // the relay's thread builds the producer, and reads the settings for it, off the start-up path
        relay = new OutboxRelay(applicationName, stores.get(),
                () -> publisher = new KafkaOutboxPublisher(bootstrapServers, settings.deliveryTimeout(),
                        kafkaSettings.isResolvable() ? kafkaSettings.get() : Map.of()),
                new OutboxRelay.Settings(
                settings.batchSize(), settings.pollInterval(), settings.initialBackoff(), settings.maxBackoff()));
        relay.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (relay != null) {
            relay.stop(Duration.ofSeconds(10));
            KafkaOutboxPublisher built = publisher;
            if (built != null) {
                built.close();
            }
        }
    }

    /** Asks the relay to publish now; called after a transaction that wrote to the outbox committed. */
    public void wakeUp() {
        OutboxRelay r = relay;
        if (r != null) {
            r.wakeUp();
        }
    }

    public Optional<OutboxRelay.Status> status() {
        return Optional.ofNullable(relay).map(OutboxRelay::status);
    }
}
