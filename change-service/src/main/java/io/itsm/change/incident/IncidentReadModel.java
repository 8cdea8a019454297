package io.itsm.change.incident;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.itsm.change.service.ChangeService;
import io.itsm.events.CloudEvent;
import io.itsm.events.EventTypes;
import io.itsm.events.MalformedEventException;
import io.itsm.rest.security.Actor;

/**
 * Applies incident events to the local incident read model (re-assessing the risk of open changes on the incident's
 * CIs, and correlating each newly opened incident with recent changes), and answers what risk and the CI/CD gate
 * ask about incidents on CIs. Events carry the incident's full state and version, so applying them is order-insensitive:
 * a newer version replaces an older one, a late older one changes nothing.
 */
@ApplicationScoped
public class IncidentReadModel {

    /** States in which an incident is no longer open. */
    static final List<String> DONE = List.of("RESOLVED", "CLOSED", "CANCELED");

    @Inject
    ObjectMapper objectMapper;

    @Inject
    EntityManager entityManager;

    @Inject
    IncidentCorrelator correlator;

    @Inject
    ChangeService changes;

    /** Applies one incident event; runs inside the inbox transaction. */
    public void apply(CloudEvent event) {
        applyAll(List.of(event));
    }

    /**
     * Applies a batch of incident events in delivery order, inside the batch's inbox transaction: the read model rows
     * of all its incidents are read with one query, the open changes on all the CIs they touched are re-assessed once,
     * and the new incidents are correlated with recently implemented changes only if some change was implemented in
     * the window before any of them (the same result as event by event, with a few queries per batch instead of several
     * per event).
     */
    public void applyAll(List<CloudEvent> events) {
        List<IncidentState> states = events.stream().map(this::parse).toList();
        Map<UUID, KnownIncident> known = new HashMap<>();
        entityManager.createQuery("select distinct i from KnownIncident i left join fetch i.configurationItemIds where i.id in :ids",
                        KnownIncident.class)
                .setParameter("ids", states.stream().map(IncidentState::id).collect(Collectors.toSet()))
                .setFlushMode(FlushModeType.COMMIT).getResultList().forEach(i -> known.put(i.id, i));
        Set<UUID> affected = new HashSet<>();
        List<IncidentCorrelator.NewIncident> opened = new ArrayList<>();
        for (IncidentState state : states) {
            KnownIncident incident = known.get(state.id());
            boolean isNew = incident == null;
            if (isNew) {
                if (state.cis().isEmpty()) {
                    continue; // on no CI it concerns no change: kept once an event names a CI
                }
                incident = new KnownIncident();
                incident.id = state.id();
            } else if (incident.version >= state.version()) {
                continue;
            }
            affected.addAll(incident.configurationItemIds);
            affected.addAll(state.cis());
            incident.number = state.number();
            incident.priority = state.priority();
            incident.state = state.state();
            incident.openedAt = state.openedAt();
            incident.configurationItemIds = new LinkedHashSet<>(state.cis());
            incident.version = state.version();
            incident.updatedAt = state.time();
            if (isNew) {
                incident.persist();
                known.put(incident.id, incident);
            }
            if (state.created()) {
                opened.add(new IncidentCorrelator.NewIncident(incident.id, incident.number, incident.openedAt, Set.copyOf(state.cis())));
            }
        }
        changes.reevaluateOpenChangesOn(affected, false, Actor.SYSTEM);
        correlator.correlate(opened, Instant.now());
    }

    /** The fields of an incident event that the read model keeps. */
    private record IncidentState(UUID id, long version, String number, int priority, String state, Instant openedAt,
            Set<UUID> cis, Instant time, boolean created) {
    }

    private IncidentState parse(CloudEvent event) {
        JsonNode incident;
        try {
            incident = objectMapper.readTree(event.data()).path("incident");
        } catch (java.io.IOException e) {
            throw new MalformedEventException("data is not JSON: " + e.getMessage(), e);
        }
        LinkedHashSet<UUID> cis = new LinkedHashSet<>();
        for (JsonNode ci : incident.path("configurationItemIds")) {
            cis.add(uuid(ci.asText(), "configurationItemIds"));
        }
        return new IncidentState(uuid(required(incident, "id").asText(), "id"), required(incident, "version").asLong(),
                required(incident, "number").asText(), required(incident, "priority").asInt(), required(incident, "state").asText(),
                instant(required(incident, "openedAt").asText(), "openedAt"), cis, event.time(),
                EventTypes.INCIDENT_CREATED.equals(event.type()));
    }

    /** How many incidents of priority {@code maxPriority} or higher (1 = highest) are open on any of {@code cis}. */
    public long openOn(Collection<UUID> cis, int maxPriority) {
        if (cis.isEmpty()) {
            return 0;
        }
        return entityManager.createQuery("""
                        select count(distinct i.id) from KnownIncident i join i.configurationItemIds ci
                         where ci in :cis and i.priority <= :priority and i.state not in :done""", Long.class)
                .setParameter("cis", cis).setParameter("priority", maxPriority).setParameter("done", DONE)
                .setFlushMode(FlushModeType.COMMIT).getSingleResult();
    }

    /** The incidents of priority {@code maxPriority} or higher opened on any of {@code cis} at or after {@code since}. */
    public List<KnownIncident> openedSince(Collection<UUID> cis, int maxPriority, Instant since) {
        if (cis.isEmpty()) {
            return List.of();
        }
        return entityManager.createQuery("""
                        select distinct i from KnownIncident i join i.configurationItemIds ci
                         where ci in :cis and i.priority <= :priority and i.openedAt >= :since order by i.openedAt""", KnownIncident.class)
                .setParameter("cis", cis).setParameter("priority", maxPriority).setParameter("since", since)
                .setFlushMode(FlushModeType.COMMIT).getResultList();
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            throw new MalformedEventException("data.incident." + field + " is missing");
        }
        return value;
    }

    private static UUID uuid(String text, String field) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("data.incident." + field + " is not a UUID: " + text);
        }
    }

    private static Instant instant(String text, String field) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new MalformedEventException("data.incident." + field + " is not an ISO-8601 instant: " + text);
        }
    }
}
