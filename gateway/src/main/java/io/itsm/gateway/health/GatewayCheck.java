package io.itsm.gateway.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * The gateway's own entry in liveness and readiness: UP while it serves requests. Liveness never depends
 * on the upstreams, so a down service does not get the gateway restarted.
 */
@Liveness
@Readiness
@ApplicationScoped
public class GatewayCheck implements HealthCheck {

    static final String NAME = "gateway";

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.up(NAME);
    }
}
