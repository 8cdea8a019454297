package io.itsm.events.quarkus;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.itsm.events.outbox.KafkaClientSettings;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.health.api.Wellness;

/**
 * Whether the Kafka cluster answers, as a wellness check: it shows in {@code /q/health} and {@code /q/health/well}
 * for people and monitoring, and never in readiness. While the broker is down a service still takes writes (their
 * events wait in the outbox, {@link OutboxHealthCheck}) and its consumers carry on where they were once it is back, so
 * a broker outage must not take every replica out of its Kubernetes Service.
 */
@Wellness
@ApplicationScoped
public class KafkaBrokerHealthCheck implements HealthCheck {

    static final String NAME = "Kafka connection health check";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "quarkus.application.name", defaultValue = "itsm")
    String applicationName;

    @Inject
    EventsConfig config;

    /** The service's {@code kafka.*} configuration, which the connector and the relay use too. */
    @Inject
    @Identifier("default-kafka-broker")
    Instance<Map<String, Object>> kafkaSettings;

    private Admin admin;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).withData("bootstrap.servers", bootstrapServers);
        Duration timeout = config.kafkaHealthTimeout();
        try {
            Collection<Node> nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
            return response.up().withData("nodes", nodes.size()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response.down().withData("error", "interrupted").build();
        } catch (ExecutionException e) {
            return response.down().withData("error", String.valueOf(e.getCause())).build();
        } catch (TimeoutException | KafkaException e) {
            return response.down().withData("error", String.valueOf(e)).build();
        }
    }

    /** One admin client for the service's life (each new one costs a connection and a metadata round trip). */
    private synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> props = KafkaClientSettings.known(
                    kafkaSettings.isResolvable() ? kafkaSettings.get() : Map.of(), AdminClientConfig.configNames());
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(AdminClientConfig.CLIENT_ID_CONFIG, applicationName + "-health");
            props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
            admin = Admin.create(props);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
