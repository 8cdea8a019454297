package io.itsm.change.incident;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

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
        JsonNode incident;
        try {
            incident = objectMapper.readTree(event.data()).path("incident");
        } catch (java.io.IOException e) {
            throw new MalformedEventException("data is not JSON: " + e.getMessage(), e);
        }
        UUID id = uuid(required(incident, "id").asText(), "id");
        long version = required(incident, "version").asLong();
        LinkedHashSet<UUID> cis = new LinkedHashSet<>();
        for (JsonNode ci : incident.path("configurationItemIds")) {
            cis.add(uuid(ci.asText(), "configurationItemIds"));
        }
        KnownIncident known = KnownIncident.findById(id);
        if (known == null) {
            if (cis.isEmpty()) {
                return; // on no CI it concerns no change: kept once an event names a CI
            }
            known = new KnownIncident();
            known.id = id;
        } else if (known.version >= version) {
            return;
        }
        known.number = required(incident, "number").asText();
        known.priority = required(incident, "priority").asInt();
        known.state = required(incident, "state").asText();
        known.openedAt = instant(required(incident, "openedAt").asText(), "openedAt");
        Set<UUID> affected = new HashSet<>(known.configurationItemIds == null ? Set.of() : known.configurationItemIds);
        affected.addAll(cis);
        known.configurationItemIds = cis;
        known.version = version;
        known.updatedAt = event.time();
        known.persist();
        changes.reevaluateOpenChangesOn(affected, false, Actor.SYSTEM);
        if (EventTypes.INCIDENT_CREATED.equals(event.type())) {
            correlator.correlate(known, Instant.now());
        }
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
