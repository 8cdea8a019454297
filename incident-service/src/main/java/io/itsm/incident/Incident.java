package io.itsm.incident;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.BatchSize;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.itsm.events.FieldChange;
import io.itsm.rest.Problem;
import io.itsm.rest.security.Actor;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * The incident aggregate. Priority is always derived from impact and urgency; nothing outside this class
 * sets it. The state changes only through {@link #transitionTo} (and assignment of a NEW incident), which
 * follows the {@link IncidentLifecycle} table and keeps the on-hold and resolution fields, the response time
 * and the {@link SlaTracking SLA clocks} consistent with the state. Every change returns what it changed.
 */
@Entity
@Table(name = "incident")
public class Incident extends PanacheEntityBase {

    private static final java.util.Set<IncidentState> RESOLUTION_CLOCK_RUNS = java.util.EnumSet.of(IncidentState.NEW, IncidentState.IN_PROGRESS);

    @Id
    public UUID id;

    /** {@code INC} + 7 digits, assigned by the database when the incident is inserted (a column default on a sequence). */
    @Column(nullable = false, unique = true, length = 10, insertable = false, updatable = false)
    @org.hibernate.annotations.Generated(event = org.hibernate.generator.EventType.INSERT)
    public String number;

    @Column(name = "short_description", nullable = false, length = 160)
    private String shortDescription;

    private String description;

    private String caller;

    private String category;

    private String subcategory;

    @JdbcTypeCode(SqlTypes.SMALLINT)
    private int impact;

    @JdbcTypeCode(SqlTypes.SMALLINT)
    private int urgency;

    @JdbcTypeCode(SqlTypes.SMALLINT)
    private int priority;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private IncidentState state;

    @Enumerated(EnumType.STRING)
    @Column(name = "on_hold_reason", length = 32)
    private OnHoldReason onHoldReason;

    @Column(name = "assignment_group")
    private String assignmentGroup;

    private String assignee;

    @Column(name = "reassignment_count", nullable = false)
    private int reassignmentCount;

    @Column(name = "major_incident", nullable = false)
    private boolean majorIncident;

    @Column(name = "parent_incident_id")
    private UUID parentIncidentId;

    @Enumerated(EnumType.STRING)
    @Column(name = "resolution_code", length = 32)
    private ResolutionCode resolutionCode;

    @Column(name = "resolution_notes")
    private String resolutionNotes;

    @Column(name = "reopen_count", nullable = false)
    private int reopenCount;

    @Column(name = "responded_at")
    private Instant respondedAt;

    @Column(name = "resolved_at")
    private Instant resolvedAt;

    @Column(name = "closed_at")
    private Instant closedAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "incident_ci", joinColumns = @JoinColumn(name = "incident_id"))
    @Column(name = "ci_id")
    @BatchSize(size = 100)
    private Set<UUID> configurationItemIds = new LinkedHashSet<>();

    @Embedded
    private SlaTracking sla = new SlaTracking();

    /** The changes change-service correlated with this incident, as a JSON array of {@code ProbableCauseChange}. */
    @Column(name = "probable_cause_changes", nullable = false)
    private String probableCauseChanges = "[]";

    @Column(name = "opened_at", nullable = false)
    public Instant openedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    /** What one command did to an incident: the fields it changed and the SLA thresholds it crossed. */
    public record Outcome(List<FieldChange> changes, List<SlaEvent> slaEvents) {
    }

    /**
     * Opens a new incident; its priority follows from impact and urgency, its SLA targets from the priority.
     *
     * @param number null when the database assigns it on insert (the service); a value for tests without a database
     */
    public static Incident open(String number, IncidentFields fields, PriorityMatrix matrix, SlaPolicy policy, Instant now) {
        Incident incident = new Incident();
        incident.id = UUID.randomUUID();
        incident.number = number;
        incident.state = IncidentState.NEW;
        incident.openedAt = now;
        incident.updatedAt = now;
        incident.apply(fields, matrix, now);
        if (incident.assignee != null) {
            incident.state = IncidentState.IN_PROGRESS; // assigned from the start: work has begun
            incident.respondedAt = now;
        }
        incident.sla.target(policy.targets(incident.priority), now);
        incident.sla.schedule(now, incident.responding(), incident.resolving(), policy.warningRatio());
        return incident;
    }

    /**
     * Replaces the editable fields. A new priority re-targets the SLA; a new assignment group after the first
     * counts as a reassignment; assigning someone to a NEW incident moves it to IN_PROGRESS (its first response).
     *
     * @throws IncidentFinalException when the incident is CLOSED or CANCELED
     */
    public Outcome update(IncidentFields fields, PriorityMatrix matrix, SlaPolicy policy, Instant now) {
        if (isFinal()) {
            throw new IncidentFinalException(number, state);
        }
        List<SlaEvent> crossed = checkSla(policy, now);
        Map<String, Object> before = snapshot();
        int oldPriority = priority;
        String oldGroup = assignmentGroup;
        String oldAssignee = assignee;
        apply(fields, matrix, now);
        if (oldGroup != null && !Objects.equals(oldGroup, assignmentGroup)) {
            reassignmentCount++;
        }
        if (assignee != null && !assignee.equals(oldAssignee) && state == IncidentState.NEW) {
            state = IncidentState.IN_PROGRESS;
            respondedAt = now;
        }
        if (priority != oldPriority) {
            sla.target(policy.targets(priority), openedAt);
        }
        crossed = concat(crossed, checkSla(policy, now));
        updatedAt = now;
        return new Outcome(FieldChange.diff(before, snapshot()), crossed);
    }

    private void apply(IncidentFields fields, PriorityMatrix matrix, Instant now) {
        shortDescription = fields.shortDescription();
        description = fields.description();
        caller = fields.caller();
        category = fields.category();
        subcategory = fields.subcategory();
        impact = fields.impact();
        urgency = fields.urgency();
        priority = matrix.priority(impact, urgency);
        assignmentGroup = fields.assignmentGroup();
        assignee = fields.assignee();
        configurationItemIds = new LinkedHashSet<>(fields.configurationItemIds() == null ? List.of() : fields.configurationItemIds());
        majorIncident = fields.majorIncident();
        parentIncidentId = fields.parentIncidentId();
    }

    /** The editable fields as they are now, the starting point of a merge patch. */
    public IncidentFields fields() {
        return new IncidentFields(shortDescription, description, caller, category, subcategory, impact, urgency,
                assignmentGroup, assignee, List.copyOf(configurationItemIds), majorIncident, parentIncidentId);
    }

    /**
     * Moves the incident to {@code target} if the lifecycle allows it and the transition has what it needs.
     * Entering ON_HOLD sets the reason, leaving it clears it; entering RESOLVED sets the resolution code, notes
     * and time; reopening (RESOLVED → IN_PROGRESS) counts the reopen and clears the resolution; CLOSED and
     * CANCELED set the closing time. Leaving NEW is the first response. The resolution clock pauses in ON_HOLD
     * and RESOLVED and stops in CLOSED and CANCELED. Nothing changes when the transition is refused.
     *
     * @throws IllegalTransitionException when the lifecycle does not allow the transition
     * @throws TransitionFieldsMissingException when a field the target state needs is missing
     * @throws ForbiddenOperationException when a major incident is canceled by someone who is not an admin
     */
    public Outcome transitionTo(IncidentState target, TransitionDetails details, IncidentLifecycle lifecycle,
                                Actor actor, SlaPolicy policy, Instant now) {
        Objects.requireNonNull(target, "target");
        TransitionDetails given = details == null ? TransitionDetails.none() : details;
        IncidentState from = state;
        if (!lifecycle.isAllowed(from, target)) {
            throw new IllegalTransitionException(from, target, lifecycle.allowedFrom(from));
        }
        requireFieldsFor(target, given);
        if (target == IncidentState.CANCELED && majorIncident && !actor.isAdmin()) {
            throw new ForbiddenOperationException("only " + io.itsm.rest.Roles.ADMIN + " may cancel a major incident; " + number + " is one");
        }

        List<SlaEvent> crossed = checkSla(policy, now);
        Map<String, Object> before = snapshot();
        state = target;
        if (from == IncidentState.ON_HOLD) {
            onHoldReason = null;
        }
        if (from == IncidentState.NEW && respondedAt == null) {
            respondedAt = now;
        }
        switch (target) {
            case ON_HOLD -> onHoldReason = given.onHoldReason();
            case RESOLVED -> {
                resolutionCode = given.resolutionCode();
                resolutionNotes = given.resolutionNotes().strip();
                resolvedAt = now;
            }
            case IN_PROGRESS -> {
                if (from == IncidentState.RESOLVED) {
                    reopenCount++;
                    resolutionCode = null;
                    resolutionNotes = null;
                    resolvedAt = null;
                }
            }
            case CLOSED, CANCELED -> closedAt = now;
            default -> {
            }
        }
        if (resolving()) {
            sla.resume(now);
        } else {
            sla.pause(now); // ON_HOLD and RESOLVED pause; CLOSED and CANCELED stop the clock for good
        }
        sla.schedule(openedAt, responding(), resolving(), policy.warningRatio());
        updatedAt = now;
        return new Outcome(FieldChange.diff(before, snapshot()), crossed);
    }

    /**
     * Reports the SLA thresholds crossed by {@code now} that were not reported yet, each exactly once: the
     * flags that remember them are part of the aggregate and commit with the events.
     */
    public List<SlaEvent> checkSla(SlaPolicy policy, Instant now) {
        List<SlaEvent> crossed = sla.crossed(now, openedAt, responding(), resolving(), policy.warningRatio());
        sla.schedule(openedAt, responding(), resolving(), policy.warningRatio());
        if (!crossed.isEmpty()) {
            updatedAt = now;
        }
        return crossed;
    }

    private boolean responding() {
        return respondedAt == null && !isFinal();
    }

    private boolean resolving() {
        return RESOLUTION_CLOCK_RUNS.contains(state);
    }

    public boolean isFinal() {
        return state == IncidentState.CLOSED || state == IncidentState.CANCELED;
    }

    private static void requireFieldsFor(IncidentState target, TransitionDetails details) {
        List<Problem.FieldError> missing = new ArrayList<>();
        if (target == IncidentState.ON_HOLD && details.onHoldReason() == null) {
            missing.add(new Problem.FieldError("onHoldReason", "is required to put an incident ON_HOLD"));
        }
        if (target == IncidentState.RESOLVED) {
            if (details.resolutionCode() == null) {
                missing.add(new Problem.FieldError("resolutionCode", "is required to resolve an incident"));
            }
            if (details.resolutionNotes() == null || details.resolutionNotes().isBlank()) {
                missing.add(new Problem.FieldError("resolutionNotes", "must not be blank to resolve an incident"));
            }
        }
        if (!missing.isEmpty()) {
            throw new TransitionFieldsMissingException(target, missing);
        }
    }

    /**
     * Every field a command can touch, under its JSON name, to report what it changed. The SLA flags are not
     * here: each crossed threshold is reported as an SLA event of its own.
     */
    private Map<String, Object> snapshot() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("state", state);
        fields.put("shortDescription", shortDescription);
        fields.put("description", description);
        fields.put("caller", caller);
        fields.put("category", category);
        fields.put("subcategory", subcategory);
        fields.put("impact", impact);
        fields.put("urgency", urgency);
        fields.put("priority", priority);
        fields.put("onHoldReason", onHoldReason);
        fields.put("assignmentGroup", assignmentGroup);
        fields.put("assignee", assignee);
        fields.put("reassignmentCount", reassignmentCount);
        fields.put("configurationItemIds", List.copyOf(configurationItemIds));
        fields.put("majorIncident", majorIncident);
        fields.put("parentIncidentId", parentIncidentId);
        fields.put("resolutionCode", resolutionCode);
        fields.put("resolutionNotes", resolutionNotes);
        fields.put("reopenCount", reopenCount);
        fields.put("respondedAt", respondedAt);
        fields.put("resolvedAt", resolvedAt);
        fields.put("closedAt", closedAt);
        fields.put("sla.responseDueAt", sla.responseDueAt());
        fields.put("sla.resolutionDueAt", sla.resolutionDueAt());
        return fields;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        if (b.isEmpty()) {
            return a;
        }
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    public String shortDescription() {
        return shortDescription;
    }

    public String description() {
        return description;
    }

    public String caller() {
        return caller;
    }

    public String category() {
        return category;
    }

    public String subcategory() {
        return subcategory;
    }

    public int impact() {
        return impact;
    }

    public int urgency() {
        return urgency;
    }

    public int priority() {
        return priority;
    }

    public IncidentState state() {
        return state;
    }

    public OnHoldReason onHoldReason() {
        return onHoldReason;
    }

    public String assignmentGroup() {
        return assignmentGroup;
    }

    public String assignee() {
        return assignee;
    }

    public int reassignmentCount() {
        return reassignmentCount;
    }

    public boolean majorIncident() {
        return majorIncident;
    }

    public UUID parentIncidentId() {
        return parentIncidentId;
    }

    public ResolutionCode resolutionCode() {
        return resolutionCode;
    }

    public String resolutionNotes() {
        return resolutionNotes;
    }

    public int reopenCount() {
        return reopenCount;
    }

    public Instant respondedAt() {
        return respondedAt;
    }

    public Instant resolvedAt() {
        return resolvedAt;
    }

    /**
     * Records the changes that may have caused the incident (best first), as change-service correlated them.
     *
     * @return what changed: nothing when they are the ones recorded already
     */
    public List<FieldChange> recordProbableCauses(String causesJson, Object before, Object after, Instant now) {
        if (causesJson.equals(probableCauseChanges)) {
            return List.of();
        }
        probableCauseChanges = causesJson;
        updatedAt = now;
        return List.of(new FieldChange("probableCauseChanges", before, after));
    }

    public String probableCauseChanges() {
        return probableCauseChanges;
    }

    public Instant closedAt() {
        return closedAt;
    }

    public Set<UUID> configurationItemIds() {
        return java.util.Collections.unmodifiableSet(configurationItemIds);
    }

    public SlaTracking sla() {
        return sla;
    }

    /** The running time of the resolution clock up to {@code now} (or up to its stop, once final). */
    public java.time.Duration slaElapsed(Instant now) {
        return sla.elapsed(openedAt, isFinal() ? closedAt : now);
    }

    public java.time.Duration slaPaused(Instant now) {
        return sla.paused(isFinal() ? closedAt : now);
    }
}
