package io.itsm.gateway.health;

import java.net.ConnectException;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.itsm.gateway.config.GatewayConfig;
import io.itsm.gateway.routing.Upstream;
import io.itsm.gateway.routing.UpstreamAddress;
import io.itsm.gateway.routing.UpstreamProxies;
import io.netty.channel.ConnectTimeoutException;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Asks one upstream for its readiness ({@code GET /q/health/ready}, non-blocking, with a short timeout) and
 * reports it as a health check named after the service, listing the upstream's own checks as data.
 */
@ApplicationScoped
public class UpstreamReadinessProbe {

    static final String READINESS_PATH = "/q/health/ready";

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
        return Uni.createFrom().<HealthCheckResponse> completionStage(() -> fetch(address, timeout)
                        .map(response -> describe(builder, response.statusCode(), response.body()))
                        .toCompletionStage())
                .ifNoItem().after(timeout).fail()
                .onFailure().recoverWithItem(failure -> builder.down()
                        .withData("error", reason(failure, timeout))
                        .build());
    }

    private Future<Reply> fetch(UpstreamAddress address, Duration timeout) {
        long millis = timeout.toMillis();
        return client.request(address.get(READINESS_PATH, millis))
                .compose(request -> request.putHeader("Accept", "application/json").send())
                .compose(response -> response.body().map(body -> new Reply(response.statusCode(), body.toString())));
    }

    private static HealthCheckResponse describe(HealthCheckResponseBuilder builder, int httpStatus, String body) {
        builder.withData("httpStatus", httpStatus);
        JsonObject health;
        try {
            health = new JsonObject(body);
        } catch (RuntimeException notJson) {
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

    private static String reason(Throwable failure, Duration timeout) {
        if (failure instanceof ConnectTimeoutException) {
            return "no connection within " + timeout.toMillis() + " ms";
        }
        if (failure instanceof ConnectException) {
            return "connection refused";
        }
        if (failure instanceof java.util.concurrent.TimeoutException || failure instanceof TimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        return "the call failed: " + failure.getClass().getSimpleName();
    }

    /** The status and body of the upstream's readiness answer. */
    private record Reply(int statusCode, String body) {
    }
}
