package io.itsm.incident;

/**
 * The SLA targets per priority and the share of a target at which a warning is due (0.75 by default). The
 * service reads them from configuration ({@code itsm.incident.sla.*}).
 */
public interface SlaPolicy {

    SlaTargets targets(int priority);

    double warningRatio();
}
