package io.itsm.incident.service;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.itsm.events.Aggregate;
import io.itsm.events.EventTypes;
import io.itsm.events.postgres.quarkus.TransactionalOutbox;
import io.itsm.incident.Incident;
import io.itsm.incident.PriorityMatrix;
import io.itsm.incident.ci.CiReadModel;
import io.itsm.incident.mapping.IncidentMapper;
import io.itsm.incident.mapping.IncidentView;
import io.quarkus.panache.common.Sort;

/** The incident practice's transaction boundary: every state change and its event commit together. */
@ApplicationScoped
public class IncidentService {

    @Inject
    EntityManager entityManager;

    @Inject
    PriorityMatrix priorityMatrix;

    @Inject
    CiReadModel ciReadModel;

    @Inject
    TransactionalOutbox outbox;

    Clock clock = Clock.systemUTC();

    /** What a caller supplies to open an incident. */
    public record OpenIncident(String shortDescription, String description, String caller, int impact, int urgency,
                               List<UUID> configurationItemIds) {
    }

    @Transactional
    public IncidentView open(OpenIncident command) {
        List<UUID> ciIds = command.configurationItemIds() == null ? List.of() : command.configurationItemIds();
        ciReadModel.requireLinkable(ciIds);
        Incident incident = Incident.open(nextNumber(), command.shortDescription(), command.description(),
                command.caller(), command.impact(), command.urgency(), new LinkedHashSet<>(ciIds), priorityMatrix,
                Instant.now(clock).truncatedTo(ChronoUnit.MICROS));
        incident.persist();
        entityManager.flush(); // the version is assigned by the flush; the event must carry it
        IncidentView view = IncidentMapper.toView(incident);
        outbox.publish(Aggregate.INCIDENT, incident.id.toString(), action(EventTypes.INCIDENT_CREATED),
                new IncidentEventData(view, List.of()));
        return view;
    }

    @Transactional
    public Optional<IncidentView> find(UUID id) {
        return Incident.<Incident>findByIdOptional(id).map(IncidentMapper::toView);
    }

    @Transactional
    public List<IncidentView> newest(int limit) {
        return Incident.<Incident>findAll(Sort.descending("openedAt").and("id", Sort.Direction.Descending))
                .page(0, limit).list().stream().map(IncidentMapper::toView).toList();
    }

    private String nextNumber() {
        Number next = (Number) entityManager.createNativeQuery("select nextval('incident_number_seq')").getSingleResult();
        return String.format("INC%07d", next.longValue());
    }

    private static String action(String eventType) {
        return eventType.substring(Aggregate.INCIDENT.eventType("").length());
    }
}
