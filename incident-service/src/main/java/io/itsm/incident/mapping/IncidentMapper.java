package io.itsm.incident.mapping;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.itsm.incident.Incident;
import io.itsm.incident.SlaTracking;

/** Maps the incident aggregate to its API and event representation. */
public final class IncidentMapper {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final TypeReference<List<ProbableCauseChange>> CAUSES = new TypeReference<>() {
    };

    private IncidentMapper() {
    }

    /** The incident as of {@code now}, which the SLA's elapsed time is measured to. */
    public static IncidentView toView(Incident incident, Instant now) {
        return new IncidentView(incident.id, incident.number, incident.shortDescription(), incident.description(),
                incident.caller(), incident.category(), incident.subcategory(), incident.impact(), incident.urgency(),
                incident.priority(), incident.state(), incident.onHoldReason(), incident.assignmentGroup(),
                incident.assignee(), incident.reassignmentCount(), incident.reopenCount(),
                List.copyOf(incident.configurationItemIds()), incident.majorIncident(), incident.parentIncidentId(),
                incident.resolutionCode(), incident.resolutionNotes(), incident.openedAt, incident.respondedAt(),
                incident.resolvedAt(), incident.closedAt(), incident.updatedAt, incident.version, sla(incident, now),
                probableCauses(incident.probableCauseChanges()));
    }

    /** Reads the stored JSON of probable-cause changes. */
    public static List<ProbableCauseChange> probableCauses(String json) {
        if (json.equals("[]")) {
            return List.of();
        }
        try {
            return JSON.readValue(json, CAUSES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored probable-cause changes are not readable: " + e.getMessage(), e);
        }
    }

    private static SlaView sla(Incident incident, Instant now) {
        SlaTracking sla = incident.sla();
        Duration paused = incident.slaPaused(now);
        Instant resolutionDue = sla.resolutionDueAt();
        if (resolutionDue != null && sla.paused() && !incident.isFinal()) {
            // the stored due time counts the pauses that ended; add the one still running
            resolutionDue = incident.openedAt.plus(sla.resolutionTarget()).plus(paused);
        }
        return new SlaView(sla.responseTarget(), sla.resolutionTarget(), sla.responseDueAt(), resolutionDue,
                incident.slaElapsed(now), paused, sla.paused() && !incident.isFinal(), sla.responseWarned(),
                sla.responseBreached(), sla.resolutionWarned(), sla.resolutionBreached());
    }
}
