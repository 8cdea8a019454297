package io.itsm.gateway.health;

import jakarta.enterprise.context.ApplicationScoped;

import io.itsm.gateway.routing.Upstream;
import io.smallrye.health.api.Wellness;

/** Health of cmdb-service as the gateway sees it: a wellness check, so it shows in {@code /q/health} but never makes the gateway unready. */
@Wellness
@ApplicationScoped
public class CmdbServiceHealth extends UpstreamHealthCheck {

    public CmdbServiceHealth() {
        super(Upstream.CMDB);
    }
}
