package io.itsm.incident.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.itsm.incident.IncidentState;

/** The filters of an incident list; {@code null} or empty means "any". */
public record IncidentQuery(List<String> numbers, List<IncidentState> states, List<Integer> priorities, String assignmentGroup, String assignee,
                            String caller, UUID configurationItemId, Boolean majorIncident, UUID parentIncidentId,
                            Instant openedAfter, Instant openedBefore, Boolean slaBreached, String text) {
}
