package io.itsm.incident.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.itsm.events.postgres.CompanionRow;
import io.itsm.events.postgres.NewAggregateRow;
import io.itsm.events.postgres.TableInsert;
import io.itsm.incident.Incident;
import io.itsm.incident.SlaTracking;

/**
 * A new incident as the rows of {@code incident} and {@code incident_ci}, for the statement that also writes its
 * created event and first history entry ({@link IncidentJournal#recordOpened}). Hibernate's mapping of the same table
 * serves every later read and update; {@code NewIncidentRowTest} keeps the two in step (every column of the table is
 * written here, and an incident read back through Hibernate is the one that was written).
 */
final class NewIncidentRow {

    /** Every column of {@code incident} but {@code number}, which the database assigns (a default on a sequence). */
    static final TableInsert INCIDENT = new TableInsert("incident", List.of("id", "short_description", "description", "caller", "category", "subcategory",
            "impact", "urgency", "priority", "state", "on_hold_reason", "assignment_group", "assignee", "reassignment_count",
            "major_incident", "parent_incident_id", "resolution_code", "resolution_notes", "reopen_count", "responded_at",
            "resolved_at", "closed_at", "sla_response_target_s", "sla_resolution_target_s", "sla_response_due_at",
            "sla_resolution_due_at", "sla_paused_ms", "sla_paused_since", "sla_response_warned", "sla_response_breached",
            "sla_resolution_warned", "sla_resolution_breached", "sla_next_check_at", "probable_cause_changes", "opened_at",
            "updated_at", "version"));

    private static final TableInsert CI_LINK = new TableInsert("incident_ci", List.of("incident_id", "ci_id"));

    private NewIncidentRow() {
    }

    static NewAggregateRow of(Incident incident) {
        SlaTracking sla = incident.sla();
        return new NewAggregateRow(INCIDENT.row(Arrays.asList(incident.id, incident.shortDescription(),
                incident.description(), incident.caller(), incident.category(), incident.subcategory(), incident.impact(),
                incident.urgency(), incident.priority(), name(incident.state()), name(incident.onHoldReason()),
                incident.assignmentGroup(), incident.assignee(), incident.reassignmentCount(), incident.majorIncident(),
                incident.parentIncidentId(), name(incident.resolutionCode()), incident.resolutionNotes(), incident.reopenCount(),
                incident.respondedAt(), incident.resolvedAt(), incident.closedAt(), seconds(sla.responseTarget()),
                seconds(sla.resolutionTarget()), sla.responseDueAt(), sla.resolutionDueAt(), sla.pausedMillis(), sla.pausedSince(),
                sla.responseWarned(), sla.responseBreached(), sla.resolutionWarned(), sla.resolutionBreached(), sla.nextCheckAt(),
                incident.probableCauseChanges(), incident.openedAt, incident.updatedAt, incident.version)),
                "number");
    }

    /** One {@code incident_ci} row per linked configuration item. */
    static List<CompanionRow> configurationItems(Incident incident) {
        List<CompanionRow> rows = new ArrayList<>(incident.configurationItemIds().size());
        incident.configurationItemIds().forEach(ci -> rows.add(CI_LINK.row(List.of(incident.id, ci))));
        return rows;
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static Long seconds(Duration duration) {
        return duration == null ? null : duration.getSeconds();
    }
}
