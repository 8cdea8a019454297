package io.itsm.gateway.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.itsm.gateway.config.GatewayConfig;
import io.itsm.gateway.routing.Upstream;
import io.itsm.gateway.routing.UpstreamAddress;
import io.itsm.gateway.routing.UpstreamCall;
import io.itsm.gateway.routing.UpstreamProxies;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Asks one upstream for its health ({@code GET /q/health}: its readiness, liveness and wellness checks, such as its
 * datastore and Kafka; non-blocking, with a short timeout) and reports it as a health check named after the service,
 * listing the upstream's own checks as data.
 */
@ApplicationScoped
public class UpstreamHealthProbe {

    static final String HEALTH_PATH = "/q/health";

    @Inject
    HttpClient client;

    @Inject
    UpstreamProxies proxies;

    @Inject
    GatewayConfig config;

    /** Probes {@code upstream}; never fails: an unreachable upstream gives a DOWN response. */
    public Uni<HealthCheckResponse> probe(Upstream upstream) {
        UpstreamAddress address = proxies.address(upstream);
        Duration timeout = config.healthTimeout();
        HealthCheckResponseBuilder builder = HealthCheckResponse.named(upstream.serviceName())
                .withData("url", address.toString());
        return Uni.createFrom().<HealthCheckResponse> completionStage(() -> UpstreamCall.get(client, upstream, address,
                                HEALTH_PATH, null, null, timeout)
                        .map(result -> result.status() == 0
                                ? builder.down().withData("error", result.problem()).build()
                                : describe(builder, result))
                        .toCompletionStage())
                .ifNoItem().after(timeout.plusSeconds(1)).fail()
                .onFailure().recoverWithItem(failure -> builder.down()
                        .withData("error", "no answer within " + timeout.toMillis() + " ms")
                        .build());
    }

    private static HealthCheckResponse describe(HealthCheckResponseBuilder builder, UpstreamCall.Result result) {
        int httpStatus = result.status();
        builder.withData("httpStatus", httpStatus);
        if (!(result.body() instanceof JsonObject health)) {
            return builder.down().withData("error", "the readiness endpoint did not answer JSON").build();
        }
        JsonArray checks = health.getJsonArray("checks", new JsonArray());
        for (Object check : checks) {
            if (check instanceof JsonObject named && named.getString("name") != null) {
                builder.withData(named.getString("name"), String.valueOf(named.getValue("status")));
            }
        }
        boolean up = httpStatus == 200 && "UP".equals(health.getString("status"));
        return builder.status(up).build();
    }
}
