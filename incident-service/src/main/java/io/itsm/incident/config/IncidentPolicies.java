package io.itsm.incident.config;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.itsm.incident.PriorityMatrix;
import io.itsm.incident.SlaPolicy;
import io.itsm.incident.SlaTargets;

/** Builds the domain's policies (priority matrix, SLA targets) and its clock from configuration. */
@ApplicationScoped
public class IncidentPolicies {

    @Produces
    @Singleton
    PriorityMatrix priorityMatrix(IncidentConfig config) {
        return new PriorityMatrix(config.priorityMatrix());
    }

    @Produces
    @Singleton
    SlaPolicy slaPolicy(IncidentConfig config) {
        IncidentConfig.Sla sla = config.sla();
        if (sla.warningRatio() <= 0 || sla.warningRatio() >= 1) {
            throw new IllegalArgumentException("itsm.incident.sla.warning-ratio must be between 0 and 1, is " + sla.warningRatio());
        }
        return new SlaPolicy() {
            @Override
            public SlaTargets targets(int priority) {
                IncidentConfig.Targets targets = sla.targets().get("p" + priority);
                return targets == null ? SlaTargets.NONE
                        : new SlaTargets(targets.response().orElse(null), targets.resolution().orElse(null));
            }

            @Override
            public double warningRatio() {
                return sla.warningRatio();
            }
        };
    }

    /** The service's time; tests replace it with a clock they move. */
    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
