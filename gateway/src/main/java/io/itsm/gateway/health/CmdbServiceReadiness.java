package io.itsm.gateway.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.Readiness;

import io.itsm.gateway.routing.Upstream;

/** Readiness of cmdb-service, as the gateway sees it. */
@Readiness
@ApplicationScoped
public class CmdbServiceReadiness extends UpstreamReadinessCheck {

    public CmdbServiceReadiness() {
        super(Upstream.CMDB);
    }
}
