package io.itsm.gateway.routing;

import java.util.EnumMap;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.itsm.gateway.config.GatewayConfig;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Vertx;

/**
 * One Vert.x circuit breaker per upstream ({@code itsm.gateway.circuit-breaker}): it counts the calls that could not
 * reach the service (refused, connect timeout, no answer in time), not the service's own error answers.
 */
@ApplicationScoped
public class UpstreamCircuitBreakers {

    private static final Logger LOG = Logger.getLogger(UpstreamCircuitBreakers.class);

    @Inject
    Vertx vertx;

    @Inject
    GatewayConfig config;

    private final Map<Upstream, CircuitBreaker> breakers = new EnumMap<>(Upstream.class);

    /** The breaker of {@code upstream}. */
    public synchronized CircuitBreaker of(Upstream upstream) {
        return breakers.computeIfAbsent(upstream, u -> {
            CircuitBreakerOptions options = new CircuitBreakerOptions()
                    .setMaxFailures(config.circuitBreaker().failures())
                    .setResetTimeout(config.circuitBreaker().openFor().toMillis())
                    .setTimeout(-1) // the proxy's own timeouts apply
                    .setFallbackOnFailure(false);
            return CircuitBreaker.create(u.serviceName(), vertx, options)
                    .openHandler(v -> LOG.warnf("%s failed %d times in a row: answering 503 at once for %d ms",
                            u.serviceName(), options.getMaxFailures(), options.getResetTimeout()))
                    .halfOpenHandler(v -> LOG.infof("%s: trying one call to see whether it is back", u.serviceName()))
                    .closeHandler(v -> LOG.infof("%s answers again", u.serviceName()));
        });
    }

    @PreDestroy
    synchronized void close() {
        breakers.values().forEach(CircuitBreaker::close);
    }
}
