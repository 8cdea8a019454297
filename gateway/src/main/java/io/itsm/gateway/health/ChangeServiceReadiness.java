package io.itsm.gateway.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.Readiness;

import io.itsm.gateway.routing.Upstream;

/** Readiness of change-service, as the gateway sees it. */
@Readiness
@ApplicationScoped
public class ChangeServiceReadiness extends UpstreamReadinessCheck {

    public ChangeServiceReadiness() {
        super(Upstream.CHANGE);
    }
}
