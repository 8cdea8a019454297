package io.itsm.gateway.health;

import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheckResponse;

import io.itsm.gateway.routing.Upstream;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * A check that is UP only while one upstream service reports itself ready; one subclass per
 * upstream, so {@code /q/health} (and {@code /q/health/well}) list each service with its own checks.
 */
abstract class UpstreamHealthCheck implements AsyncHealthCheck {

    @Inject
    UpstreamHealthProbe probe;

    private final Upstream upstream;

    protected UpstreamHealthCheck(Upstream upstream) {
        this.upstream = upstream;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return probe.probe(upstream);
    }
}
