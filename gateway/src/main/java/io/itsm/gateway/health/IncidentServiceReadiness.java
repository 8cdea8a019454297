package io.itsm.gateway.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.Readiness;

import io.itsm.gateway.routing.Upstream;

/** Readiness of incident-service, as the gateway sees it. */
@Readiness
@ApplicationScoped
public class IncidentServiceReadiness extends UpstreamReadinessCheck {

    public IncidentServiceReadiness() {
        super(Upstream.INCIDENT);
    }
}
