package io.itsm.incident;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.itsm.events.FieldChange;
import io.itsm.rest.Problem;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * The incident aggregate. Priority is always derived from impact and urgency; nothing outside this class
 * sets it. The state changes only through {@link #transitionTo}, which follows the {@link IncidentLifecycle}
 * table and keeps the on-hold and resolution fields consistent with the state. (SLA and assignment arrive
 * with the rest of the incident practice.)
 */
@Entity
@Table(name = "incident")
public class Incident extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true, length = 10)
    public String number;

    @Column(name = "short_description", nullable = false, length = 160)
    public String shortDescription;

    public String description;

    public String caller;

    public int impact;

    public int urgency;

    private int priority;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private IncidentState state;

    @Enumerated(EnumType.STRING)
    @Column(name = "on_hold_reason", length = 32)
    private OnHoldReason onHoldReason;

    @Enumerated(EnumType.STRING)
    @Column(name = "resolution_code", length = 32)
    private ResolutionCode resolutionCode;

    @Column(name = "resolution_notes")
    private String resolutionNotes;

    @Column(name = "reopen_count", nullable = false)
    private int reopenCount;

    @Column(name = "resolved_at")
    private Instant resolvedAt;

    @Column(name = "closed_at")
    private Instant closedAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "incident_ci", joinColumns = @JoinColumn(name = "incident_id"))
    @Column(name = "ci_id")
    public Set<UUID> configurationItemIds = new LinkedHashSet<>();

    @Column(name = "opened_at", nullable = false)
    public Instant openedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    /** Opens a new incident; its priority follows from impact and urgency through the matrix. */
    public static Incident open(String number, String shortDescription, String description, String caller,
                                int impact, int urgency, Set<UUID> configurationItemIds, PriorityMatrix matrix, Instant now) {
        Incident incident = new Incident();
        incident.id = UUID.randomUUID();
        incident.number = number;
        incident.shortDescription = shortDescription;
        incident.description = description;
        incident.caller = caller;
        incident.impact = impact;
        incident.urgency = urgency;
        incident.priority = matrix.priority(impact, urgency);
        incident.state = IncidentState.NEW;
        incident.reopenCount = 0;
        incident.configurationItemIds = new LinkedHashSet<>(configurationItemIds);
        incident.openedAt = now;
        incident.updatedAt = now;
        return incident;
    }

    /**
     * Moves the incident to {@code target} if the lifecycle allows it and the transition has what it needs.
     * Entering ON_HOLD sets the reason, leaving it clears it; entering RESOLVED sets the resolution code, notes
     * and time; reopening (RESOLVED → IN_PROGRESS) counts the reopen and clears the resolution; CLOSED and
     * CANCELED set the closing time. Nothing changes when the transition is refused.
     *
     * @return the fields that changed, the state first
     * @throws IllegalTransitionException when the lifecycle does not allow the transition
     * @throws TransitionFieldsMissingException when a field the target state needs is missing
     */
    public List<FieldChange> transitionTo(IncidentState target, TransitionDetails details, IncidentLifecycle lifecycle,
                                          Instant now) {
        Objects.requireNonNull(target, "target");
        TransitionDetails given = details == null ? TransitionDetails.none() : details;
        IncidentState from = state;
        if (!lifecycle.isAllowed(from, target)) {
            throw new IllegalTransitionException(from, target, lifecycle.allowedFrom(from));
        }
        requireFieldsFor(target, given);

        Snapshot before = snapshot();
        state = target;
        if (from == IncidentState.ON_HOLD) {
            onHoldReason = null;
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
        updatedAt = now;
        return before.changesTo(snapshot());
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

    private Snapshot snapshot() {
        return new Snapshot(state, onHoldReason, resolutionCode, resolutionNotes, reopenCount, resolvedAt, closedAt);
    }

    /** The lifecycle fields, to report what a transition changed under their JSON names. */
    private record Snapshot(IncidentState state, OnHoldReason onHoldReason, ResolutionCode resolutionCode,
                            String resolutionNotes, int reopenCount, Instant resolvedAt, Instant closedAt) {

        List<FieldChange> changesTo(Snapshot after) {
            List<FieldChange> changes = new ArrayList<>();
            add(changes, "state", state, after.state);
            add(changes, "onHoldReason", onHoldReason, after.onHoldReason);
            add(changes, "resolutionCode", resolutionCode, after.resolutionCode);
            add(changes, "resolutionNotes", resolutionNotes, after.resolutionNotes);
            add(changes, "reopenCount", reopenCount, after.reopenCount);
            add(changes, "resolvedAt", resolvedAt, after.resolvedAt);
            add(changes, "closedAt", closedAt, after.closedAt);
            return List.copyOf(changes);
        }

        private static void add(List<FieldChange> changes, String field, Object from, Object to) {
            if (!Objects.equals(from, to)) {
                changes.add(new FieldChange(field, from, to));
            }
        }
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

    public ResolutionCode resolutionCode() {
        return resolutionCode;
    }

    public String resolutionNotes() {
        return resolutionNotes;
    }

    public int reopenCount() {
        return reopenCount;
    }

    public Instant resolvedAt() {
        return resolvedAt;
    }

    public Instant closedAt() {
        return closedAt;
    }
}
