package io.itsm.change.service;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.validation.Validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.itsm.change.ApprovalDecision;
import io.itsm.change.ApprovalPolicy;
import io.itsm.change.ChangeFields;
import io.itsm.change.ChangeLifecycle;
import io.itsm.change.ChangeRequest;
import io.itsm.change.ChangeState;
import io.itsm.change.ChangeType;
import io.itsm.change.Conflict;
import io.itsm.change.TransitionDetails;
import io.itsm.change.cmdb.CmdbGraph;
import io.itsm.change.config.ChangeConfig;
import io.itsm.change.history.ChangeJournal;
import io.itsm.change.incident.IncidentReadModel;
import io.itsm.change.mapping.ChangeInput;
import io.itsm.change.mapping.ChangeMapper;
import io.itsm.change.mapping.ChangeView;
import io.itsm.change.risk.PastOutcomes;
import io.itsm.change.risk.RiskAssessment;
import io.itsm.change.risk.RiskAssessor;
import io.itsm.change.template.ChangeTemplate;
import io.itsm.change.template.ChangeTemplateService;
import io.itsm.events.EventTypes;
import io.itsm.events.FieldChange;
import io.itsm.rest.EntityTags;
import io.itsm.rest.ProblemException;
import io.itsm.rest.paging.Page;
import io.itsm.rest.idempotency.IdempotencyKeys;
import io.itsm.rest.patch.PatchedInput;
import io.itsm.rest.postgres.PostgresIdempotencyStore;
import io.itsm.rest.security.Actor;

/**
 * The change practice's transaction boundary: every command loads the aggregate, checks the caller's If-Match,
 * lets the aggregate change itself, re-assesses risk and conflicts, and records each change (event + history)
 * in the same transaction.
 */
@ApplicationScoped
public class ChangeService {

    /** Fields of the API representation a PATCH may not touch, and why. */
    private static final Map<String, String> READ_ONLY = Map.ofEntries(
            Map.entry("type", "is chosen when the change is created"),
            Map.entry("state", "changes only through POST /api/changes/{id}/transitions"),
            Map.entry("risk", "is computed from the risk factors"), Map.entry("riskScore", "is computed from the risk factors"),
            Map.entry("riskFactors", "are computed"), Map.entry("approvals", "are decided through POST /api/changes/{id}/approvals"),
            Map.entry("approvalStatus", "is computed from the approvals"), Map.entry("conflicts", "are computed from the planned window"),
            Map.entry("conflictOverride", "is given with the transition to SCHEDULED"), Map.entry("rejectionReason", "is set by a rejection"),
            Map.entry("closeCode", "is given with the transition to CLOSED"), Map.entry("closeNotes", "is given with the transition to CLOSED"),
            Map.entry("reviewNotes", "is given with the transition to CLOSED"), Map.entry("actualStart", "is set by the transition to IMPLEMENT"),
            Map.entry("actualEnd", "is set by the transition to REVIEW"), Map.entry("templateId", "is chosen when the change is created"),
            Map.entry("requestedBy", "is who created the change"), Map.entry("id", "is read-only"), Map.entry("number", "is read-only"),
            Map.entry("version", "is read-only"), Map.entry("createdAt", "is read-only"), Map.entry("updatedAt", "is read-only"));

    @Inject
    EntityManager entityManager;

    @Inject
    ChangeMapper mapper;

    @Inject
    ChangeJournal journal;

    @Inject
    ApprovalPolicy approvalPolicy;

    @Inject
    RiskAssessor riskAssessor;

    @Inject
    ChangeConflictDetector conflictDetector;

    @Inject
    NextSlotFinder nextSlots;

    @Inject
    ChangeTemplateService templates;

    @Inject
    IncidentReadModel incidents;

    @Inject
    CmdbGraph graph;

    @Inject
    io.itsm.change.incident.IncidentCorrelator correlator;

    @Inject
    ChangeConfig config;

    @Inject
    PostgresIdempotencyStore idempotencyKeys;

    @Inject
    ObjectMapper objectMapper;

    @Inject
    Validator validator;

    @Inject
    Clock clock;

    /**
     * Raises a change request in NEW, with its risk assessed, once per {@code Idempotency-Key}.
     *
     * @return the response to send: status, Location and the change as JSON
     */
    @Transactional
    public IdempotencyKeys.Created open(ChangeInput input, String idempotencyKey, Actor actor) {
        return IdempotencyKeys.create(idempotencyKeys, "POST /api/changes " + actor.name(), idempotencyKey, input, () -> {
            ChangeFields fields = fieldsOf(input);
            Instant now = now();
            ChangeRequest change = ChangeRequest.raise(nextNumber(), input.type(), input.templateId(), fields, actor.name(), now);
            assessRisk(change, now);
            change.recordConflicts(mapper.json(conflictDetector.conflictsOf(change)), now);
            change.persist();
            entityManager.flush(); // the version is assigned by the flush; the event must carry it
            ChangeView view = mapper.toView(change);
            journal.record(view, EventTypes.CHANGE_CREATED, List.of(), actor, now);
            return new IdempotencyKeys.Created(201, "/api/changes/" + change.id, mapper.json(view), view.version(), false);
        });
    }

    /**
     * The fields of a new change: as given for NORMAL and EMERGENCY; for STANDARD, the template's plans, CIs and short
     * description with the window and assignment the requester gives.
     *
     * @throws ProblemException 422 (no or an unusable template, a deviation from it, a template on another type), 400 (no short description)
     */
    private ChangeFields fieldsOf(ChangeInput input) {
        ChangeFields requested = input.toFields();
        if (input.type() != ChangeType.STANDARD) {
            if (input.templateId() != null) {
                throw ProblemException.unprocessable("templateId", "only a STANDARD change is raised from a template");
            }
            if (requested.shortDescription() == null || requested.shortDescription().isBlank()) {
                throw ProblemException.invalid("shortDescription", "must not be blank");
            }
            return requested;
        }
        if (input.templateId() == null) {
            throw ProblemException.unprocessable("templateId", "a STANDARD change is pre-approved and raised from a standard-change template "
                    + "(GET /api/changes/templates); without one, raise a NORMAL change");
        }
        ChangeTemplate template = templates.requireUsable(input.templateId());
        List<String> deviations = template.deviations(requested);
        if (!deviations.isEmpty()) {
            throw ProblemException.unprocessable(deviations.get(0), "differs from template '" + template.name()
                    + "'; a STANDARD change keeps its template's " + String.join(", ", deviations) + " (leave them out)");
        }
        return template.changeFields(requested);
    }

    /**
     * Applies a JSON Merge Patch to the editable fields; a new scope re-assesses the risk ({@code risk-changed}) and the
     * conflicts ({@code conflict-detected}). A patch that changes nothing records nothing.
     *
     * @throws ProblemException 404, 428/412, 400 (read-only or unknown field, invalid result), 409 (final, scope frozen), 422 (window)
     */
    @Transactional
    public ChangeView update(UUID id, String ifMatch, JsonNode patch, Actor actor) {
        ChangeRequest change = load(id, LockModeType.NONE);
        EntityTags.requireMatch(ifMatch, change.version);
        ChangeInput input = patched(change, patch);
        Instant now = now();
        List<FieldChange> changes = change.update(input.toFields(), now);
        if (changes.isEmpty()) {
            return mapper.toView(change);
        }
        List<FieldChange> riskChanges = assessRisk(change, now);
        int conflictsBefore = mapper.conflicts(change).size();
        ConflictChange conflicts = evaluateConflicts(change, now);
        entityManager.flush();
        ChangeView view = mapper.toView(change); // the state every event of this update carries
        journal.record(view, EventTypes.CHANGE_UPDATED, changes, actor, now);
        recordFollowUps(change, view, riskChanges, conflicts, conflictsBefore, actor, now);
        reevaluateNeighbours(change, actor, now);
        return view;
    }

    /**
     * Moves a change to another state of its type's lifecycle, if the caller's roles and the target's guards allow it.
     *
     * @throws ProblemException 404, 428/412, 403 (role), 409 (final, not allowed, a guard fails)
     */
    @Transactional
    public ChangeView transition(UUID id, String ifMatch, ChangeState to, TransitionDetails details, Actor actor) {
        ChangeRequest change = load(id, LockModeType.NONE);
        EntityTags.requireMatch(ifMatch, change.version);
        List<Conflict> conflicts = to == ChangeState.SCHEDULED ? conflictDetector.conflictsOf(change) : List.of();
        ChangeRequest.GuardInputs inputs = new ChangeRequest.GuardInputs(change.approvalStatus(approvalPolicy.requiredFor(change)), conflicts);
        Instant now = now();
        ChangeState from = change.state;
        List<FieldChange> changes = change.transitionTo(to, details, actor, inputs, now);
        if (to == ChangeState.SCHEDULED) {
            change.recordConflicts(mapper.json(conflicts), now);
        }
        entityManager.flush();
        ChangeView view = mapper.toView(change); // what follows changes other change requests only
        journal.record(view, ChangeLifecycle.eventType(to), changes, actor, now);
        if (ChangeConflictDetector.OCCUPYING.contains(from) != ChangeConflictDetector.OCCUPYING.contains(to)) {
            reevaluateNeighbours(change, actor, now);
        }
        if (to == ChangeState.CLOSED) {
            reevaluateOpenChangesOn(change.configurationItemIds(), false, actor); // a new past outcome on these CIs
        }
        return view;
    }

    /**
     * Records an approver's decision on a change in AUTHORIZE; a rejection returns it to NEW. Decisions on the same
     * change are serialised by a row lock, so concurrent approvers need no If-Match.
     *
     * @throws ProblemException 404, 403 (the approver holds no role the policy asks for), 409 (not in AUTHORIZE, decided already)
     */
    @Transactional
    public ChangeView decide(UUID id, ApprovalDecision decision, String comment, Actor approver) {
        ChangeRequest change = load(id, LockModeType.PESSIMISTIC_WRITE);
        Instant now = now();
        List<FieldChange> changes = change.decide(approver, decision, comment, approvalPolicy.requiredFor(change), now);
        entityManager.flush();
        ChangeView view = mapper.toView(change);
        journal.record(view, EventTypes.CHANGE_APPROVAL_RECORDED, changes, approver, now);
        return view;
    }

    /** The current state and the next states the caller may move the change to, with its version. */
    public record AllowedTransitions(ChangeState current, List<ChangeState> allowed, long version) {
    }

    /** Reads without a transaction, as {@link ChangeQueries} does: no {@code COMMIT} round trip. */
    public Optional<AllowedTransitions> allowedTransitions(UUID id, Actor caller) {
        return ChangeRequest.<ChangeRequest>findByIdOptional(id).map(change -> new AllowedTransitions(change.state,
                ChangeLifecycle.allowedFrom(change.type, change.state).stream()
                        .filter(to -> caller.hasAnyRole(ChangeLifecycle.rolesFor(change.type, to))).toList(), change.version));
    }

    /** Reads without a transaction, as {@link ChangeQueries} does: no {@code COMMIT} round trip. */
    public Optional<ChangeView> find(UUID id) {
        return ChangeRequest.<ChangeRequest>findByIdOptional(id).map(mapper::toView);
    }

    /** The conflicts of the change's planned window as they are now (not as last recorded). */
    @Transactional
    public List<Conflict> currentConflicts(UUID id) {
        return conflictDetector.conflictsOf(load(id, LockModeType.NONE));
    }

    /**
     * The earliest conflict-free window of the change's planned length that starts at or after {@code after} (now
     * when null) and within {@link NextSlotFinder#HORIZON}.
     *
     * @throws ProblemException 404; 422 when the change has no planned window, or no window is free
     */
    @Transactional
    public NextSlotFinder.Slot nextSlot(UUID id, Instant after) {
        ChangeRequest change = load(id, LockModeType.NONE);
        if (change.plannedStart() == null || change.plannedEnd() == null) {
            throw ProblemException.unprocessable("plannedStart", "and plannedEnd must be set: the next slot has the planned window's length");
        }
        Instant from = after == null || after.isBefore(now()) ? now() : after;
        return nextSlots.nextSlot(change, from).orElseThrow(() -> ProblemException.unprocessable("plannedStart",
                "no conflict-free window of " + java.time.Duration.between(change.plannedStart(), change.plannedEnd())
                        + " starts within " + NextSlotFinder.HORIZON.toDays() + " days of " + from));
    }

    /** The incidents the change was correlated with, most likely first. @throws ProblemException 404 */
    @Transactional
    public List<io.itsm.change.incident.IncidentCorrelation> relatedIncidents(UUID id) {
        load(id, LockModeType.NONE);
        return correlator.of(id);
    }

    /** Reads without a transaction, as {@link ChangeQueries} does: no {@code COMMIT} round trip. */
    public Page<ChangeJournal.Change> history(UUID id, String cursor, int limit, boolean count) {
        load(id, LockModeType.NONE);
        return journal.history(id, cursor, limit, count);
    }

    private ChangeRequest load(UUID id, LockModeType lock) {
        if (lock != LockModeType.NONE) {
            // Lock the row by itself, then load: findById(id, lock) on an entity with an eager collection makes
            // Hibernate 7.2 lock "follow-on", which failed now and then with a ConcurrentModificationException (a 500
            // found by the bad-input fuzzer). The row lock serialises the same writers.
            ChangeRequest.getEntityManager().createQuery("select c.id from ChangeRequest c where c.id = :id")
                    .setParameter("id", id).setLockMode(lock).getResultList();
        }
        ChangeRequest change = ChangeRequest.findById(id);
        if (change == null) {
            throw ProblemException.notFound("change", id);
        }
        return change;
    }

    /**
     * Re-assesses the risk of every open change on {@code cis} (their incidents, CMDB neighbourhood or past outcomes
     * changed) and publishes {@code risk-changed} for each whose risk moved; with {@code conflictsToo}, also
     * re-evaluates their conflicts (the CMDB relationships or maintenance windows changed). Runs in the caller's
     * transaction, e.g. the inbox transaction of the event that changed the input.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reevaluateOpenChangesOn(java.util.Collection<UUID> cis, boolean conflictsToo, Actor actor) {
        if (cis.isEmpty()) {
            return;
        }
        entityManager.flush(); // the read models the risk reads may have just changed in this transaction
        Instant now = now();
        List<ChangeRequest> open = ChangeRequest.touching(cis, "c.state not in ('CLOSED', 'CANCELED')", Map.of());
        for (ChangeRequest change : open) {
            List<FieldChange> riskChanges = assessRisk(change, now);
            if (!riskChanges.isEmpty()) {
                entityManager.flush();
                journal.record(mapper.toView(change), EventTypes.CHANGE_RISK_CHANGED, riskChanges, actor, now);
            }
        }
        if (conflictsToo) {
            reevaluate(open, actor, now);
        }
    }

    /** Re-assesses the risk from the change's current inputs; returns what changed. */
    private List<FieldChange> assessRisk(ChangeRequest change, Instant now) {
        java.util.Set<UUID> downstream = graph.downstream(change.configurationItemIds(), config.risk().blastRadiusDepth()).keySet();
        RiskAssessment risk = riskAssessor.assess(new RiskAssessor.Inputs(change.type, change.configurationItemIds(), change.plannedStart(),
                change.plannedEnd(), pastOutcomes(change), incidents.openOn(change.configurationItemIds(), 2),
                graph.mostCritical(change.configurationItemIds()), downstream.size(), graph.mostCritical(downstream)));
        return change.assessRisk(risk.level(), risk.score(), mapper.json(risk.factors()), now);
    }

    private PastOutcomes pastOutcomes(ChangeRequest change) {
        if (change.configurationItemIds().isEmpty()) {
            return PastOutcomes.NONE;
        }
        Object[] row = entityManager.createQuery("""
                        select count(distinct c.id), count(distinct case when c.closeCode = io.itsm.change.CloseCode.UNSUCCESSFUL then c.id end)
                          from ChangeRequest c join c.configurationItemIds ci
                         where c.state = io.itsm.change.ChangeState.CLOSED and ci in :cis and c.id <> :id""", Object[].class)
                .setParameter("cis", change.configurationItemIds()).setParameter("id", change.id)
                .setFlushMode(FlushModeType.COMMIT) // other changes only: no need to flush this one first (and bump its version twice)
                .getSingleResult();
        return new PastOutcomes(((Number) row[0]).longValue(), ((Number) row[1]).longValue());
    }

    /** How a re-evaluation changed a change's conflicts. */
    private enum ConflictChange { NONE, GAINED, FEWER }

    /** Records the change's current conflicts and says how they changed. */
    private ConflictChange evaluateConflicts(ChangeRequest change, Instant at) {
        if (change.isFinal()) {
            return ConflictChange.NONE;
        }
        List<Conflict> before = mapper.conflicts(change);
        List<Conflict> now = conflictDetector.conflictsOf(change);
        if (!change.recordConflicts(mapper.json(now), at)) {
            return ConflictChange.NONE;
        }
        return before.containsAll(now) ? ConflictChange.FEWER : ConflictChange.GAINED;
    }

    private void recordFollowUps(ChangeRequest change, ChangeView view, List<FieldChange> riskChanges, ConflictChange conflicts,
                                 int conflictsBefore, Actor actor, Instant now) {
        if (!riskChanges.isEmpty()) {
            journal.record(view, EventTypes.CHANGE_RISK_CHANGED, riskChanges, actor, now);
        }
        if (conflicts == ConflictChange.GAINED) {
            journal.record(view, EventTypes.CHANGE_CONFLICT_DETECTED,
                    List.of(new FieldChange("conflicts", conflictsBefore, view.conflicts().size())), actor, now);
        }
    }

    /**
     * Re-evaluates the conflicts of every other open change on a CI that {@code change} touches or that is related to
     * one in the CMDB: its window or state changed, so theirs may have become (un)conflicted.
     */
    private void reevaluateNeighbours(ChangeRequest change, Actor actor, Instant now) {
        if (change.configurationItemIds().isEmpty()) {
            return;
        }
        reevaluate(entityManager.createQuery("""
                        select distinct c from ChangeRequest c join c.configurationItemIds ci
                         where c.id <> :id and c.state not in (io.itsm.change.ChangeState.CLOSED, io.itsm.change.ChangeState.CANCELED)
                           and ci in :cis""", ChangeRequest.class)
                .setParameter("id", change.id).setParameter("cis", conflictDetector.scopeOf(change).keySet())
                .setFlushMode(FlushModeType.COMMIT).getResultList(), actor, now);
    }

    /**
     * Re-evaluates the conflicts of every open change whose planned window overlaps [start, end), e.g. after a
     * blackout window there was created, moved or deleted. Runs in the caller's transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reevaluateChangesDuring(Instant start, Instant end, Actor actor) {
        reevaluate(entityManager.createQuery("""
                        select c from ChangeRequest c
                         where c.state not in (io.itsm.change.ChangeState.CLOSED, io.itsm.change.ChangeState.CANCELED)
                           and c.plannedStart < :end and c.plannedEnd > :start""", ChangeRequest.class)
                .setParameter("start", start).setParameter("end", end).getResultList(), actor, now());
    }

    /**
     * Each change whose conflicts changed publishes it (a new version always comes with an event):
     * {@code conflict-detected} when it gained one, {@code updated} when it has fewer.
     */
    private void reevaluate(List<ChangeRequest> changes, Actor actor, Instant now) {
        for (ChangeRequest change : changes) {
            int before = mapper.conflicts(change).size();
            ConflictChange result = evaluateConflicts(change, now);
            if (result == ConflictChange.NONE) {
                continue;
            }
            entityManager.flush();
            ChangeView view = mapper.toView(change);
            if (result == ConflictChange.GAINED) {
                recordFollowUps(change, view, List.of(), result, before, actor, now);
            } else {
                journal.record(view, EventTypes.CHANGE_UPDATED, List.of(new FieldChange("conflicts", before, view.conflicts().size())), actor, now);
            }
        }
    }

    private ChangeInput patched(ChangeRequest change, JsonNode patch) {
        ChangeInput input = PatchedInput.apply(ChangeInput.of(change.type, change.templateId(), change.fields()), patch, READ_ONLY, objectMapper, validator);
        if (input.shortDescription() == null || input.shortDescription().isBlank()) {
            throw ProblemException.invalid("shortDescription", "must not be blank");
        }
        return input;
    }

    Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }

    private String nextNumber() {
        Number next = (Number) entityManager.createNativeQuery("select nextval('change_number_seq')").getSingleResult();
        return String.format("CHG%07d", next.longValue());
    }
}
