package io.itsm.change.incident;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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

import org.hibernate.Session;

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
     * Applies a batch of incident events in delivery order, inside the batch's inbox transaction: one query reads what
     * the read model holds of the batch's incidents, one statement per table writes the newest version of each, the
     * open changes on all the CIs they touched are re-assessed once, and the new incidents are correlated with
     * recently implemented changes only if some change was implemented in the window before any of them (the same
     * result as event by event, in a few statements per batch instead of several per event). The rows are written
     * with SQL, not through the persistence context: JFR showed Hibernate's per-entity flush work as the consumer's
     * largest cost.
     */
    public void applyAll(List<CloudEvent> events) {
        List<IncidentState> states = events.stream().map(this::parse).toList();
        Session session = entityManager.unwrap(Session.class);
        Map<UUID, Stored> stored = session.doReturningWork(connection -> stored(connection,
                states.stream().map(IncidentState::id).collect(Collectors.toSet())));
        Map<UUID, IncidentState> newest = new LinkedHashMap<>();
        Set<UUID> affected = new HashSet<>();
        List<IncidentCorrelator.NewIncident> opened = new ArrayList<>();
        for (IncidentState state : states) {
            IncidentState applied = newest.get(state.id());
            Stored before = stored.get(state.id());
            if (applied == null && before == null) {
                if (state.cis().isEmpty()) {
                    continue; // on no CI it concerns no change: kept once an event names a CI
                }
            } else if ((applied != null ? applied.version() : before.version()) >= state.version()) {
                continue;
            }
            affected.addAll(applied != null ? applied.cis() : before != null ? before.cis() : Set.of());
            affected.addAll(state.cis());
            newest.put(state.id(), state);
            if (state.created()) {
                opened.add(new IncidentCorrelator.NewIncident(state.id(), state.number(), state.openedAt(), state.cis()));
            }
        }
        if (!newest.isEmpty()) {
            session.doWork(connection -> write(connection, newest.values()));
        }
        changes.reevaluateOpenChangesOn(affected, false, Actor.SYSTEM);
        correlator.correlate(opened, Instant.now());
    }

    /** What the read model holds of an incident. */
    private record Stored(long version, Set<UUID> cis) {
    }

    private static Map<UUID, Stored> stored(Connection connection, Set<UUID> ids) throws SQLException {
        Map<UUID, Stored> stored = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("""
                select r.id, r.version, c.ci_id from incident_read_model r
                  left join incident_read_model_ci c on c.incident_id = r.id where r.id = any(?)""")) {
            select.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    long version = rows.getLong(2);
                    Stored row = stored.computeIfAbsent(rows.getObject(1, UUID.class), id -> new Stored(version, new HashSet<>()));
                    UUID ci = rows.getObject(3, UUID.class);
                    if (ci != null) {
                        row.cis().add(ci);
                    }
                }
            }
        }
        return stored;
    }

    /** Writes the newest state of each incident (its row replaced only by a newer version) and its CIs. */
    private static void write(Connection connection, Collection<IncidentState> incidents) throws SQLException {
        int n = incidents.size();
        UUID[] ids = new UUID[n];
        String[] numbers = new String[n];
        Integer[] priorities = new Integer[n];
        String[] states = new String[n];
        String[] openedAt = new String[n];
        Long[] versions = new Long[n];
        String[] updatedAt = new String[n];
        List<UUID> ciIncidents = new ArrayList<>();
        List<UUID> cis = new ArrayList<>();
        int i = 0;
        for (IncidentState incident : incidents) {
            ids[i] = incident.id();
            numbers[i] = incident.number();
            priorities[i] = incident.priority();
            states[i] = incident.state();
            openedAt[i] = incident.openedAt().toString();
            versions[i] = incident.version();
            updatedAt[i] = incident.time().toString();
            i++;
            for (UUID ci : incident.cis()) {
                ciIncidents.add(incident.id());
                cis.add(ci);
            }
        }
        try (PreparedStatement upsert = connection.prepareStatement("""
                insert into incident_read_model (id, number, priority, state, opened_at, version, updated_at)
                select * from unnest(?::uuid[], ?::varchar[], ?::smallint[], ?::varchar[], ?::timestamptz[], ?::bigint[], ?::timestamptz[])
                on conflict (id) do update set number = excluded.number, priority = excluded.priority, state = excluded.state,
                       opened_at = excluded.opened_at, version = excluded.version, updated_at = excluded.updated_at
                 where incident_read_model.version < excluded.version""");
                PreparedStatement deleteCis = connection.prepareStatement("delete from incident_read_model_ci where incident_id = any(?)");
                PreparedStatement insertCis = connection.prepareStatement("""
                        insert into incident_read_model_ci (incident_id, ci_id) select * from unnest(?::uuid[], ?::uuid[])""")) {
            upsert.setArray(1, connection.createArrayOf("uuid", ids));
            upsert.setArray(2, connection.createArrayOf("varchar", numbers));
            upsert.setArray(3, connection.createArrayOf("int4", priorities));
            upsert.setArray(4, connection.createArrayOf("varchar", states));
            upsert.setArray(5, connection.createArrayOf("text", openedAt));
            upsert.setArray(6, connection.createArrayOf("int8", versions));
            upsert.setArray(7, connection.createArrayOf("text", updatedAt));
            upsert.executeUpdate();
            deleteCis.setArray(1, connection.createArrayOf("uuid", ids));
            deleteCis.executeUpdate();
            insertCis.setArray(1, connection.createArrayOf("uuid", ciIncidents.toArray()));
            insertCis.setArray(2, connection.createArrayOf("uuid", cis.toArray()));
            insertCis.executeUpdate();
        }
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
