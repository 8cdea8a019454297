package io.itsm.incident.service;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Validator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.itsm.events.EventTypes;
import io.itsm.events.FieldChange;
import io.itsm.incident.Incident;
import io.itsm.incident.IncidentFields;
import io.itsm.incident.IncidentLifecycle;
import io.itsm.incident.IncidentState;
import io.itsm.incident.PriorityMatrix;
import io.itsm.incident.SlaEvent;
import io.itsm.incident.SlaPolicy;
import io.itsm.incident.TransitionDetails;
import io.itsm.incident.ci.CiReadModel;
import io.itsm.incident.history.IncidentJournal;
import io.itsm.incident.mapping.IncidentInput;
import io.itsm.incident.mapping.IncidentMapper;
import io.itsm.incident.mapping.IncidentView;
import io.itsm.rest.EntityTags;
import io.itsm.rest.ProblemException;
import io.itsm.rest.idempotency.IdempotencyKeys;
import io.itsm.rest.patch.PatchedInput;
import io.itsm.rest.postgres.PostgresIdempotencyStore;
import io.itsm.rest.security.Actor;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The incident practice's transaction boundary: every command loads the aggregate, checks the caller's
 * If-Match, lets the aggregate change itself, and records the change (event + history) in the same transaction.
 */
@ApplicationScoped
public class IncidentService {

    /** Fields of the API representation a PATCH may not touch, and why. */
    private static final Map<String, String> READ_ONLY = Map.ofEntries(
            Map.entry("state", "changes only through POST /api/incidents/{id}/transitions"),
            Map.entry("priority", "is derived from impact and urgency"),
            Map.entry("id", "is read-only"), Map.entry("number", "is read-only"), Map.entry("version", "is read-only"),
            Map.entry("onHoldReason", "changes only through transitions"), Map.entry("resolutionCode", "changes only through transitions"),
            Map.entry("resolutionNotes", "changes only through transitions"), Map.entry("reassignmentCount", "is read-only"),
            Map.entry("reopenCount", "is read-only"), Map.entry("openedAt", "is read-only"), Map.entry("respondedAt", "is read-only"),
            Map.entry("resolvedAt", "is read-only"), Map.entry("closedAt", "is read-only"), Map.entry("updatedAt", "is read-only"),
            Map.entry("sla", "is derived from the priority and the state history"));

    private static final Set<IncidentState> DONE = Set.of(IncidentState.RESOLVED, IncidentState.CLOSED, IncidentState.CANCELED);

    @Inject
    EntityManager entityManager;

    @Inject
    PriorityMatrix priorityMatrix;

    @Inject
    SlaPolicy slaPolicy;

    @Inject
    IncidentLifecycle lifecycle;

    @Inject
    CiReadModel ciReadModel;

    @Inject
    IncidentJournal journal;

    @Inject
    PostgresIdempotencyStore idempotencyKeys;

    @Inject
    ObjectMapper objectMapper;

    @Inject
    Validator validator;

    @Inject
    Clock clock;

    /**
     * Opens an incident, once per {@code Idempotency-Key}: a repeated request with the same key and body gets the
     * first response back. The incident's rows and its event are one statement: without a key that statement is the
     * whole write and commits by itself (no transaction around it, no commit round trip); with a key, the key's
     * claim and its stored answer share a transaction with it.
     *
     * @return the response to send: status, Location and the incident as JSON
     */
    public IdempotencyKeys.Created open(IncidentInput input, String idempotencyKey, Actor actor) {
        if (idempotencyKey == null) {
            return openIncident(input, actor);
        }
        return QuarkusTransaction.joiningExisting().call(() -> IdempotencyKeys.create(idempotencyKeys,
                "POST /api/incidents " + actor.name(), idempotencyKey, input, () -> openIncident(input, actor)));
    }

    private IdempotencyKeys.Created openIncident(IncidentInput input, Actor actor) {
        IncidentFields fields = input.toFields();
        ciReadModel.requireLinkable(fields.configurationItemIds());
        requireParent(null, fields.parentIncidentId());
        Instant now = now();
        Incident incident = Incident.open(null, fields, priorityMatrix, slaPolicy, now); // the insert assigns the number
        journal.recordOpened(incident, actor, now); // sets the number the database assigned
        return new IdempotencyKeys.Created(201, "/api/incidents/" + incident.id, json(IncidentMapper.toView(incident, now)),
                incident.version, false);
    }

    /**
     * Applies a JSON Merge Patch to the editable fields. The event is {@code assigned} when the assignment
     * changed, {@code updated} otherwise; a patch that changes nothing records nothing.
     *
     * @throws ProblemException 404, 428/412, 400 (read-only or unknown field, invalid result), 409 (final), 422 (CI, parent)
     */
    @Transactional
    public IncidentView update(UUID id, String ifMatch, JsonNode patch, Actor actor) {
        Incident incident = load(id);
        EntityTags.requireMatch(ifMatch, incident.version);
        IncidentInput input = patched(incident, patch);
        IncidentFields fields = input.toFields();
        ciReadModel.requireLinkable(fields.configurationItemIds(), incident.configurationItemIds());
        if (fields.parentIncidentId() != null && !fields.parentIncidentId().equals(incident.parentIncidentId())) {
            requireParent(incident, fields.parentIncidentId());
        }
        Instant now = now();
        Incident.Outcome outcome = incident.update(fields, priorityMatrix, slaPolicy, now);
        if (outcome.changes().isEmpty() && outcome.slaEvents().isEmpty()) {
            return IncidentMapper.toView(incident, now);
        }
        entityManager.flush();
        IncidentView view = IncidentMapper.toView(incident, now);
        recordSla(view, outcome.slaEvents(), now);
        if (!outcome.changes().isEmpty()) {
            boolean assignment = outcome.changes().stream().anyMatch(c -> c.field().equals("assignee") || c.field().equals("assignmentGroup"));
            journal.record(view, assignment ? EventTypes.INCIDENT_ASSIGNED : EventTypes.INCIDENT_UPDATED, outcome.changes(), actor, now);
        }
        return view;
    }

    /**
     * Moves an incident to another state; with {@code resolveChildren}, resolving a parent also resolves its
     * children that are still open, with the same resolution.
     *
     * @throws ProblemException 404, 428/412, 409 transition not allowed, 400 a field the target state needs is
     *                          missing, 403 a major incident canceled by someone who is not an admin
     */
    @Transactional
    public IncidentView transition(UUID id, String ifMatch, IncidentState to, TransitionDetails details,
                                   boolean resolveChildren, Actor actor) {
        Incident incident = load(id);
        EntityTags.requireMatch(ifMatch, incident.version);
        Instant now = now();
        IncidentView view = move(incident, to, details, actor, now);
        if (to == IncidentState.RESOLVED && resolveChildren) {
            List<Incident> children = Incident.list("parentIncidentId", incident.id);
            for (Incident child : children) {
                if (!DONE.contains(child.state())) {
                    move(child, IncidentState.RESOLVED, new TransitionDetails(null, details.resolutionCode(),
                            "Resolved with parent " + incident.number + ": " + details.resolutionNotes().strip()), actor, now);
                }
            }
        }
        return view;
    }

    private IncidentView move(Incident incident, IncidentState to, TransitionDetails details, Actor actor, Instant now) {
        IncidentState from = incident.state();
        Incident.Outcome outcome = incident.transitionTo(to, details, lifecycle, actor, slaPolicy, now);
        entityManager.flush(); // increments the version (or detects a concurrent update); the events carry it
        IncidentView view = IncidentMapper.toView(incident, now);
        recordSla(view, outcome.slaEvents(), now);
        journal.record(view, lifecycle.eventType(from, to), outcome.changes(), actor, now);
        return view;
    }

    /**
     * Publishes the SLA warnings and breaches that are due by now, for at most {@code batch} incidents; other
     * replicas skip the incidents this one holds. Returns how many incidents it handled.
     */
    @Transactional
    public int publishDueSlaEvents(int batch) {
        Instant now = now();
        List<Incident> due = lockedBatch("select id from incident where sla_next_check_at <= ?1 "
                + "order by sla_next_check_at limit ?2 for update skip locked", now, batch);
        for (Incident incident : due) {
            List<SlaEvent> crossed = incident.checkSla(slaPolicy, now);
            if (!crossed.isEmpty()) {
                entityManager.flush();
                recordSla(IncidentMapper.toView(incident, now), crossed, now);
            }
        }
        return due.size();
    }

    /** Closes incidents RESOLVED for longer than {@code after}, at most {@code batch}; returns how many. */
    @Transactional
    public int closeResolvedBefore(java.time.Duration after, int batch) {
        Instant now = now();
        List<Incident> resolved = lockedBatch("select id from incident where state = 'RESOLVED' and resolved_at <= ?1 "
                + "order by resolved_at limit ?2 for update skip locked", now.minus(after), batch);
        for (Incident incident : resolved) {
            move(incident, IncidentState.CLOSED, TransitionDetails.none(), Actor.SYSTEM, now);
        }
        return resolved.size();
    }

    private List<Incident> lockedBatch(String sql, Instant at, int batch) {
        @SuppressWarnings("unchecked")
        List<UUID> ids = entityManager.createNativeQuery(sql, UUID.class).setParameter(1, at).setParameter(2, batch).getResultList();
        List<Incident> incidents = new ArrayList<>(ids.size());
        for (UUID id : ids) {
            incidents.add(entityManager.find(Incident.class, id));
        }
        return incidents;
    }

    private void recordSla(IncidentView view, List<SlaEvent> events, Instant now) {
        for (SlaEvent event : events) {
            String clock = event.clock() == SlaEvent.Clock.RESPONSE ? "response" : "resolution";
            boolean breach = event.level() == SlaEvent.Level.BREACHED;
            String field = "sla." + clock + (breach ? "Breached" : "Warning");
            journal.record(view, breach ? EventTypes.INCIDENT_SLA_BREACHED : EventTypes.INCIDENT_SLA_WARNING,
                    List.of(new FieldChange(field, false, true)), Actor.SYSTEM, now);
        }
    }

    /**
     * Adds a work note or comment. Notes are appended, never edited, so they need no If-Match and leave the
     * incident's version alone; the timeline shows them between the changes.
     */
    @Transactional
    public io.itsm.incident.history.Note addNote(UUID id, io.itsm.incident.history.NoteVisibility visibility, String text, Actor author) {
        Incident incident = load(id);
        return journal.addNote(incident.id, visibility, text, author, now());
    }

    /** An incident's current state and the states it may move to next. */
    public record AllowedTransitions(IncidentState current, List<IncidentState> allowed, long version) {
    }

    /** Reads without a transaction, as {@link IncidentQueries} does: one statement, no {@code COMMIT} round trip. */
    public Optional<AllowedTransitions> allowedTransitions(UUID id) {
        return Incident.<Incident>findByIdOptional(id).map(incident -> new AllowedTransitions(incident.state(),
                List.copyOf(lifecycle.allowedFrom(incident.state())), incident.version));
    }

    /** Reads without a transaction, as {@link IncidentQueries} does: one statement, no {@code COMMIT} round trip. */
    public Optional<IncidentView> find(UUID id) {
        Instant now = now();
        return Incident.<Incident>findByIdOptional(id).map(incident -> IncidentMapper.toView(incident, now));
    }

    /** The incident exists: for its sub-resources (notes, history, timeline). */
    public void requireExists(UUID id) {
        load(id);
    }

    Incident load(UUID id) {
        return Incident.<Incident>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("incident", id));
    }

    /** The merge patch applied to the incident's editable fields, validated as a whole. */
    private IncidentInput patched(Incident incident, JsonNode patch) {
        return PatchedInput.apply(IncidentInput.of(incident.fields()), patch, READ_ONLY, objectMapper, validator);
    }

    /** A parent must exist, be open, not be a child itself, and not be the incident or one of its children. */
    private void requireParent(Incident child, UUID parentId) {
        if (parentId == null) {
            return;
        }
        if (child != null && parentId.equals(child.id)) {
            throw ProblemException.unprocessable("parentIncidentId", "cannot be the incident itself");
        }
        Incident parent = Incident.findById(parentId);
        if (parent == null) {
            throw ProblemException.unprocessable("parentIncidentId", "names incident " + parentId + ", which does not exist");
        }
        if (parent.parentIncidentId() != null) {
            throw ProblemException.unprocessable("parentIncidentId", "names " + parent.number + ", which is itself a child; parents are one level deep");
        }
        if (parent.isFinal()) {
            throw ProblemException.unprocessable("parentIncidentId", "names " + parent.number + ", which is " + parent.state());
        }
        if (child != null && Incident.count("parentIncidentId", child.id) > 0) {
            throw ProblemException.unprocessable("parentIncidentId", child.number + " has children of its own and cannot become a child");
        }
    }

    private String json(Object view) {
        try {
            return objectMapper.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Records the changes change-service correlated with an incident (its {@code incident-correlated} event), best
     * first, and publishes {@code itsm.incident.updated} when they are new. An unknown incident is ignored: the
     * event describes it only by id.
     *
     * @param candidates the event's candidate changes as JSON
     */
    @Transactional
    public void recordProbableCauses(UUID incidentId, JsonNode candidates, Actor source) {
        Incident incident = Incident.findById(incidentId);
        if (incident == null) {
            return;
        }
        List<io.itsm.incident.mapping.ProbableCauseChange> causes;
        try {
            causes = List.of(objectMapper.treeToValue(candidates, io.itsm.incident.mapping.ProbableCauseChange[].class));
        } catch (JsonProcessingException e) {
            throw new io.itsm.events.MalformedEventException("candidates are not candidate changes: " + e.getOriginalMessage(), e);
        }
        Instant now = now();
        List<FieldChange> changes = incident.recordProbableCauses(json(causes),
                IncidentMapper.probableCauses(incident.probableCauseChanges()), causes, now);
        if (changes.isEmpty()) {
            return;
        }
        entityManager.flush();
        journal.record(IncidentMapper.toView(incident, now), EventTypes.INCIDENT_UPDATED, changes, source, now);
    }

    Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }
}
