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
import io.itsm.events.FieldChange;
import io.itsm.incident.Incident;
import io.itsm.incident.IncidentLifecycle;
import io.itsm.incident.IncidentState;
import io.itsm.incident.PriorityMatrix;
import io.itsm.incident.TransitionDetails;
import io.itsm.incident.ci.CiReadModel;
import io.itsm.incident.mapping.IncidentMapper;
import io.itsm.incident.mapping.IncidentView;
import io.itsm.rest.EntityTags;
import io.itsm.rest.ProblemException;
import io.quarkus.panache.common.Sort;

/** The incident practice's transaction boundary: every state change and its event commit together. */
@ApplicationScoped
public class IncidentService {

    @Inject
    EntityManager entityManager;

    @Inject
    PriorityMatrix priorityMatrix;

    @Inject
    IncidentLifecycle lifecycle;

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

    /** An incident's current state and the states it may move to next. */
    public record AllowedTransitions(IncidentState current, List<IncidentState> allowed, long version) {
    }

    /**
     * Moves an incident to another state. The caller's {@code If-Match} is checked against the current version
     * before anything changes; the event ({@code resolved}, {@code closed}, {@code reopened} or
     * {@code state-changed}) is written to the outbox in the same transaction.
     *
     * @throws ProblemException 404 unknown incident, 428/412 missing or stale If-Match, 409 transition not
     *                          allowed, 400 a field the target state needs is missing
     */
    @Transactional
    public IncidentView transition(UUID id, String ifMatch, IncidentState to, TransitionDetails details) {
        Incident incident = Incident.<Incident>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("incident", id));
        EntityTags.requireMatch(ifMatch, incident.version);
        IncidentState from = incident.state();
        List<FieldChange> changes = incident.transitionTo(to, details, lifecycle,
                Instant.now(clock).truncatedTo(ChronoUnit.MICROS));
        entityManager.flush(); // the version is incremented by the flush (or a concurrent update is detected); the event must carry it
        IncidentView view = IncidentMapper.toView(incident);
        outbox.publish(Aggregate.INCIDENT, incident.id.toString(), action(lifecycle.eventType(from, to)),
                new IncidentEventData(view, changes));
        return view;
    }

    @Transactional
    public Optional<AllowedTransitions> allowedTransitions(UUID id) {
        return Incident.<Incident>findByIdOptional(id).map(incident -> new AllowedTransitions(incident.state(),
                List.copyOf(lifecycle.allowedFrom(incident.state())), incident.version));
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
