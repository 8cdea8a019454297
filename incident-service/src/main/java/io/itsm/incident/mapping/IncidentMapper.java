package io.itsm.incident.mapping;

import java.util.List;

import io.itsm.incident.Incident;

/** Maps the incident aggregate to its API and event representation. */
public final class IncidentMapper {

    private IncidentMapper() {
    }

    public static IncidentView toView(Incident incident) {
        return new IncidentView(incident.id, incident.number, incident.shortDescription, incident.description,
                incident.caller, incident.impact, incident.urgency, incident.priority(), incident.state(),
                incident.onHoldReason(), incident.resolutionCode(), incident.resolutionNotes(), incident.reopenCount(),
                List.copyOf(incident.configurationItemIds), incident.openedAt, incident.resolvedAt(), incident.closedAt(),
                incident.updatedAt, incident.version);
    }
}
