package io.itsm.incident.service;

import java.util.List;

import io.itsm.events.FieldChange;
import io.itsm.incident.mapping.IncidentView;

/** The data of every incident event: the incident's full new state and what changed. */
public record IncidentEventData(IncidentView incident, List<FieldChange> changes) {
}
