package io.itsm.incident;

import java.util.List;
import java.util.UUID;

/**
 * The fields of an incident that a client edits (with {@code PATCH}); everything else is derived or moves only
 * through transitions. Assignment lives here too: assigning someone to a NEW incident also starts work on it.
 */
public record IncidentFields(String shortDescription, String description, String caller, String category,
                             String subcategory, int impact, int urgency, String assignmentGroup, String assignee,
                             List<UUID> configurationItemIds, boolean majorIncident, UUID parentIncidentId) {
}
