package io.itsm.change;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.CascadeType;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.BatchSize;

import io.itsm.events.FieldChange;
import io.itsm.rest.Problem;
import io.itsm.rest.security.Actor;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * The change request aggregate. Its state changes only through {@link #transitionTo}, which follows the
 * {@link ChangeLifecycle} of its type and checks the guards of the target state (plans, CIs and window before
 * authorization, the approvals of the policy before scheduling, no unresolved conflict when scheduled, a close
 * code and, after a failure or for an emergency change, a review before closing). Every command returns the fields it changed.
 */
@Entity
@Table(name = "change_request")
public class ChangeRequest extends PanacheEntityBase {

    /** The fields a standard-change template defines: a STANDARD change keeps them. */
    private static final List<String> TEMPLATE_DEFINED = List.of("shortDescription", "implementationPlan", "backoutPlan", "testPlan",
            "configurationItemIds");

    /** The fields that define what is changed, where and when: frozen once implementation starts. */
    private static final List<String> SCOPE = List.of("implementationPlan", "backoutPlan", "testPlan", "configurationItemIds",
            "plannedStart", "plannedEnd");

    @Id
    public UUID id;

    @Column(nullable = false, unique = true, length = 10)
    public String number;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public ChangeType type;

    @Column(name = "template_id")
    private UUID templateId;

    @Column(name = "short_description", nullable = false, length = 160)
    private String shortDescription;

    private String description;

    private String justification;

    @Column(name = "implementation_plan")
    private String implementationPlan;

    @Column(name = "backout_plan")
    private String backoutPlan;

    @Column(name = "test_plan")
    private String testPlan;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "change_ci", joinColumns = @JoinColumn(name = "change_id"))
    @Column(name = "ci_id")
    @BatchSize(size = 100)
    private Set<UUID> configurationItemIds = new LinkedHashSet<>();

    @Column(name = "planned_start")
    private Instant plannedStart;

    @Column(name = "planned_end")
    private Instant plannedEnd;

    @Column(name = "actual_start")
    private Instant actualStart;

    @Column(name = "actual_end")
    private Instant actualEnd;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public ChangeState state;

    @Enumerated(EnumType.STRING)
    @Column(length = 16)
    private RiskLevel risk;

    @Column(name = "risk_score")
    private Integer riskScore;

    /** The factors of the last risk assessment as a JSON array of {@code {name, weight, evidence}}. */
    @Column(name = "risk_factors", nullable = false)
    private String riskFactors = "[]";

    /** Starts at 1; a rejection starts the next round, in which every approver decides afresh. */
    @Column(name = "approval_round", nullable = false)
    private int approvalRound = 1;

    @Column(name = "rejection_reason")
    private String rejectionReason;

    @Column(name = "conflict_override")
    private String conflictOverride;

    /** The conflicts of the last evaluation as a JSON array of {@link Conflict}. */
    @Column(nullable = false)
    private String conflicts = "[]";

    @OneToMany(cascade = CascadeType.ALL, orphanRemoval = true, fetch = FetchType.LAZY)
    @JoinColumn(name = "change_id", nullable = false, insertable = false, updatable = false)
    @OrderBy("decidedAt, id")
    @BatchSize(size = 50)
    private List<Approval> approvals = new ArrayList<>();

    @Enumerated(EnumType.STRING)
    @Column(name = "close_code", length = 32)
    private CloseCode closeCode;

    @Column(name = "close_notes")
    private String closeNotes;

    @Column(name = "review_notes")
    private String reviewNotes;

    @Column(name = "requested_by")
    private String requestedBy;

    @Column(name = "assignment_group")
    private String assignmentGroup;

    private String assignee;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    /** What {@link #transitionTo} needs to know from outside the aggregate to check its guards. */
    public record GuardInputs(ApprovalStatus approvals, List<Conflict> conflicts) {
    }

    /**
     * Raises a change in state NEW.
     *
     * @throws io.itsm.rest.ProblemException 422 when the planned window ends before it starts
     */
    public static ChangeRequest raise(String number, ChangeType type, UUID templateId, ChangeFields fields, String requestedBy, Instant now) {
        ChangeRequest change = new ChangeRequest();
        change.id = UUID.randomUUID();
        change.number = number;
        change.type = type;
        change.templateId = templateId;
        change.state = ChangeState.NEW;
        change.requestedBy = requestedBy;
        change.createdAt = now;
        change.apply(fields);
        change.updatedAt = now;
        return change;
    }

    /**
     * Replaces the editable fields.
     *
     * @throws io.itsm.rest.ProblemException 409 for a final change, or for a change of scope once implementation started;
     *                                       422 for a window that ends before it starts
     */
    public List<FieldChange> update(ChangeFields fields, Instant now) {
        requireNotFinal();
        Map<String, Object> before = snapshot();
        ChangeFields previous = fields();
        apply(fields);
        List<FieldChange> changes = FieldChange.diff(before, snapshot());
        if (state == ChangeState.IMPLEMENT || state == ChangeState.REVIEW) {
            List<String> frozen = changes.stream().map(FieldChange::field).filter(SCOPE::contains).toList();
            if (!frozen.isEmpty()) {
                apply(previous);
                throw io.itsm.rest.ProblemException.conflict(number + " is in " + state + ": " + String.join(", ", frozen)
                        + " can no longer change once implementation started");
            }
        }
        if (type == ChangeType.STANDARD) {
            List<String> fixed = changes.stream().map(FieldChange::field).filter(TEMPLATE_DEFINED::contains).toList();
            if (!fixed.isEmpty()) {
                apply(previous);
                throw io.itsm.rest.ProblemException.conflict(number + " is a pre-approved STANDARD change: " + String.join(", ", fixed)
                        + " come from its template and cannot change (raise a NORMAL change instead)");
            }
        }
        if (!changes.isEmpty()) {
            updatedAt = now;
        }
        return changes;
    }

    /**
     * Moves the change to {@code to}, if its type's lifecycle allows it, the actor holds a role for that step and
     * the guards of the target state hold.
     *
     * @throws io.itsm.rest.ProblemException 409 (final, not allowed from here, a guard fails), 403 (role)
     */
    public List<FieldChange> transitionTo(ChangeState to, TransitionDetails details, Actor actor, GuardInputs inputs, Instant now) {
        requireNotFinal();
        if (!ChangeLifecycle.isAllowed(type, state, to)) {
            throw ChangeProblems.illegalTransition(this, to);
        }
        Set<String> roles = ChangeLifecycle.rolesFor(type, to);
        if (!actor.hasAnyRole(roles)) {
            throw ChangeProblems.forbidden("moving a " + type + " change to " + to + " needs one of the roles " + String.join(", ", roles.stream().sorted().toList()));
        }
        List<Problem.FieldError> missing = guardsOf(to, details, actor, inputs);
        if (!missing.isEmpty()) {
            throw ChangeProblems.guardFailed(this, to, missing);
        }
        Map<String, Object> before = snapshot();
        switch (to) {
            case SCHEDULED -> conflictOverride = inputs.conflicts().isEmpty() ? null : details.conflictOverride().strip();
            case IMPLEMENT -> actualStart = now;
            case REVIEW -> actualEnd = now;
            case CLOSED -> {
                closeCode = details.closeCode();
                closeNotes = blankToNull(details.closeNotes());
                if (details.reviewNotes() != null && !details.reviewNotes().isBlank()) {
                    reviewNotes = details.reviewNotes();
                }
            }
            case AUTHORIZE -> rejectionReason = null;
            default -> {
            }
        }
        state = to;
        updatedAt = now;
        return FieldChange.diff(before, snapshot());
    }

    /** A rejected approval: back to NEW with the reason, and the next approval round starts when it is authorized again. */
    private List<FieldChange> reject(String reason, Instant now) { // decide() checked that the change is in AUTHORIZE
        Map<String, Object> before = snapshot();
        state = ChangeState.NEW;
        rejectionReason = reason;
        approvalRound++;
        updatedAt = now;
        return FieldChange.diff(before, snapshot());
    }

    /**
     * Records an approver's decision in the current round, counted for the first role of {@code required} that the
     * approver holds and that still lacks approvals. A rejection sends the change back to NEW (see {@link #reject}).
     *
     * @throws io.itsm.rest.ProblemException 409 outside AUTHORIZE or for a second decision of the same approver in
     *                                       this round; 403 when the approver holds none of the required roles
     */
    public List<FieldChange> decide(Actor approver, ApprovalDecision decision, String comment, List<ApprovalRequirement> required, Instant now) {
        if (state != ChangeState.AUTHORIZE) {
            throw io.itsm.rest.ProblemException.conflict(number + " is in " + state + "; approvals are decided in AUTHORIZE");
        }
        if (currentRound().stream().anyMatch(a -> a.approver.equals(approver.name()))) {
            throw io.itsm.rest.ProblemException.conflict(approver.name() + " already decided on " + number + " in this approval round");
        }
        String role = required.stream().map(ApprovalRequirement::role)
                .filter(r -> approver.roles().contains(r) && approvedBy(r) < countOf(required, r)).findFirst()
                .or(() -> required.stream().map(ApprovalRequirement::role).filter(approver.roles()::contains).findFirst())
                .orElseThrow(() -> ChangeProblems.forbidden(number + " needs approval by " + describe(required)
                        + "; " + approver.name() + " holds none of these roles"));
        Approval approval = new Approval();
        approval.id = UUID.randomUUID();
        approval.changeId = id;
        approval.round = approvalRound;
        approval.approver = approver.name();
        approval.role = role;
        approval.decision = decision;
        approval.comment = comment;
        approval.decidedAt = now;
        approvals.add(approval);
        if (decision == ApprovalDecision.REJECTED) {
            return reject(approver.name() + ": " + (comment == null || comment.isBlank() ? "rejected" : comment), now);
        }
        updatedAt = now;
        return List.of(new FieldChange("approvals", null, approver.name() + " " + decision + " as " + role));
    }

    /** Whether the approvals of the current round meet {@code required}; a change that needs none is always approved. */
    public ApprovalStatus approvalStatus(List<ApprovalRequirement> required) {
        List<String> missing = new ArrayList<>();
        for (ApprovalRequirement requirement : required) {
            long lacking = requirement.count() - approvedBy(requirement.role());
            if (lacking > 0) {
                missing.add(lacking + " more approval" + (lacking == 1 ? "" : "s") + " by " + requirement.role());
            }
        }
        return missing.isEmpty() ? ApprovalStatus.NOT_NEEDED : new ApprovalStatus(false, List.copyOf(missing));
    }

    private List<Approval> currentRound() {
        return approvals.stream().filter(a -> a.round == approvalRound).toList();
    }

    private long approvedBy(String role) {
        return currentRound().stream().filter(a -> a.decision == ApprovalDecision.APPROVED && a.role.equals(role)).count();
    }

    private static int countOf(List<ApprovalRequirement> required, String role) {
        return required.stream().filter(r -> r.role().equals(role)).mapToInt(ApprovalRequirement::count).sum();
    }

    private static String describe(List<ApprovalRequirement> required) {
        return String.join(" and ", required.stream().map(r -> r.count() + " x " + r.role()).toList());
    }

    /** Records the conflicts of the planned window as last evaluated; returns whether they differ from before. */
    public boolean recordConflicts(String conflictsJson, Instant now) {
        if (conflictsJson.equals(conflicts)) {
            return false;
        }
        conflicts = conflictsJson;
        updatedAt = now;
        return true;
    }

    /** Records a risk assessment; returns what changed (nothing when the level, score and factors are the same). */
    public List<FieldChange> assessRisk(RiskLevel level, int score, String factorsJson, Instant now) {
        Map<String, Object> before = snapshot();
        risk = level;
        riskScore = score;
        riskFactors = factorsJson;
        List<FieldChange> changes = FieldChange.diff(before, snapshot());
        if (!changes.isEmpty()) {
            updatedAt = now;
        }
        return changes;
    }

    private List<Problem.FieldError> guardsOf(ChangeState to, TransitionDetails details, Actor actor, GuardInputs inputs) {
        List<Problem.FieldError> missing = new ArrayList<>();
        if (to == ChangeState.AUTHORIZE) {
            requireText(missing, "implementationPlan", implementationPlan, "an implementation plan");
            requireText(missing, "backoutPlan", backoutPlan, "a backout plan");
            requireText(missing, "testPlan", testPlan, "a test plan");
        }
        if (to == ChangeState.AUTHORIZE || to == ChangeState.SCHEDULED) {
            if (configurationItemIds.isEmpty()) {
                missing.add(new Problem.FieldError("configurationItemIds", "must name at least one CI in scope"));
            }
            if (plannedStart == null || plannedEnd == null) {
                missing.add(new Problem.FieldError("plannedStart", "and plannedEnd must give the planned window"));
            }
        }
        if (to == ChangeState.SCHEDULED && state == ChangeState.AUTHORIZE && !inputs.approvals().satisfied()) {
            missing.add(new Problem.FieldError("approvals", "are incomplete: " + String.join("; ", inputs.approvals().missing())));
        }
        if (to == ChangeState.SCHEDULED && !inputs.conflicts().isEmpty()) {
            String override = details.conflictOverride();
            if (override == null || override.isBlank()) {
                missing.add(new Problem.FieldError("conflicts", inputs.conflicts().size() + " unresolved: "
                        + String.join("; ", inputs.conflicts().stream().map(Conflict::reason).toList())
                        + " (an itsm-change-manager may schedule anyway with a conflictOverride justification)"));
            } else if (!actor.hasAnyRole(List.of(io.itsm.rest.Roles.CHANGE_MANAGER))) {
                throw ChangeProblems.forbidden("only itsm-change-manager may override scheduling conflicts");
            }
        }
        if (to == ChangeState.CLOSED) {
            if (details.closeCode() == null) {
                missing.add(new Problem.FieldError("closeCode", "is required to close a change (SUCCESSFUL, SUCCESSFUL_WITH_ISSUES, UNSUCCESSFUL)"));
            } else if (details.closeCode() == CloseCode.UNSUCCESSFUL && isBlank(details.reviewNotes()) && isBlank(reviewNotes)) {
                missing.add(new Problem.FieldError("reviewNotes", "must hold the post-implementation review of an UNSUCCESSFUL change"));
            }
            if (type == ChangeType.EMERGENCY && details.closeCode() != CloseCode.UNSUCCESSFUL && isBlank(details.reviewNotes()) && isBlank(reviewNotes)) {
                missing.add(new Problem.FieldError("reviewNotes", "must hold the post-implementation review of an EMERGENCY change, "
                        + "which was authorized in haste and is reviewed afterwards"));
            }
        }
        return missing;
    }

    private void apply(ChangeFields fields) {
        if (fields.plannedStart() != null && fields.plannedEnd() != null && !fields.plannedEnd().isAfter(fields.plannedStart())) {
            throw io.itsm.rest.ProblemException.unprocessable("plannedEnd", "must be after plannedStart");
        }
        shortDescription = fields.shortDescription();
        description = fields.description();
        justification = fields.justification();
        implementationPlan = fields.implementationPlan();
        backoutPlan = fields.backoutPlan();
        testPlan = fields.testPlan();
        configurationItemIds = new LinkedHashSet<>(fields.configurationItemIds());
        plannedStart = fields.plannedStart();
        plannedEnd = fields.plannedEnd();
        assignmentGroup = fields.assignmentGroup();
        assignee = fields.assignee();
    }

    private void requireNotFinal() {
        if (ChangeLifecycle.isFinal(state)) {
            throw ChangeProblems.isFinal(this);
        }
    }

    private static void requireText(List<Problem.FieldError> missing, String field, String value, String what) {
        if (isBlank(value)) {
            missing.add(new Problem.FieldError(field, "must hold " + what));
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String blankToNull(String value) {
        return isBlank(value) ? null : value;
    }

    /** Every field a command can touch, under its JSON name, to report what it changed. */
    private Map<String, Object> snapshot() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("state", state);
        fields.put("shortDescription", shortDescription);
        fields.put("description", description);
        fields.put("justification", justification);
        fields.put("implementationPlan", implementationPlan);
        fields.put("backoutPlan", backoutPlan);
        fields.put("testPlan", testPlan);
        fields.put("configurationItemIds", List.copyOf(configurationItemIds));
        fields.put("plannedStart", plannedStart);
        fields.put("plannedEnd", plannedEnd);
        fields.put("actualStart", actualStart);
        fields.put("actualEnd", actualEnd);
        fields.put("assignmentGroup", assignmentGroup);
        fields.put("assignee", assignee);
        fields.put("risk", risk);
        fields.put("riskScore", riskScore);
        fields.put("approvalRound", approvalRound);
        fields.put("rejectionReason", rejectionReason);
        fields.put("conflictOverride", conflictOverride);
        fields.put("closeCode", closeCode);
        fields.put("closeNotes", closeNotes);
        fields.put("reviewNotes", reviewNotes);
        return fields;
    }

    public ChangeFields fields() {
        return new ChangeFields(shortDescription, description, justification, implementationPlan, backoutPlan, testPlan,
                configurationItemIds, plannedStart, plannedEnd, assignmentGroup, assignee);
    }

    public boolean isFinal() {
        return ChangeLifecycle.isFinal(state);
    }

    public UUID templateId() { return templateId; }
    public String shortDescription() { return shortDescription; }
    public String description() { return description; }
    public String justification() { return justification; }
    public String implementationPlan() { return implementationPlan; }
    public String backoutPlan() { return backoutPlan; }
    public String testPlan() { return testPlan; }
    public Set<UUID> configurationItemIds() { return Set.copyOf(configurationItemIds); }
    public Instant plannedStart() { return plannedStart; }
    public Instant plannedEnd() { return plannedEnd; }
    public Instant actualStart() { return actualStart; }
    public Instant actualEnd() { return actualEnd; }
    public RiskLevel risk() { return risk; }
    public Integer riskScore() { return riskScore; }
    public String riskFactors() { return riskFactors; }
    public int approvalRound() { return approvalRound; }
    public String rejectionReason() { return rejectionReason; }
    public String conflictOverride() { return conflictOverride; }
    public String conflicts() { return conflicts; }
    public List<Approval> approvals() { return List.copyOf(approvals); }
    public CloseCode closeCode() { return closeCode; }
    public String closeNotes() { return closeNotes; }
    public String reviewNotes() { return reviewNotes; }
    public String requestedBy() { return requestedBy; }
    public String assignmentGroup() { return assignmentGroup; }
    public String assignee() { return assignee; }

    /**
     * The changes with a CI among {@code cis} that satisfy {@code condition} (SQL over {@code change_request c}, with
     * the named {@code parameters}). One native query finds the ids, and only the changes found are loaded: Hibernate
     * translates a JPQL query with a list parameter anew on every execution, which made this lookup the largest cost
     * of applying an incident event, while most events name CIs that no open change touches.
     */
    @SuppressWarnings("unchecked")
    public static List<ChangeRequest> touching(java.util.Collection<UUID> cis, String condition, Map<String, Object> parameters) {
        if (cis.isEmpty()) {
            return List.of();
        }
        jakarta.persistence.Query ids = getEntityManager().createNativeQuery("""
                select distinct c.id from change_request c join change_ci cc on cc.change_id = c.id
                 where cc.ci_id in (:cis) and (%s)""".formatted(condition), UUID.class).setParameter("cis", cis);
        parameters.forEach(ids::setParameter);
        List<UUID> found = ids.getResultList();
        return found.isEmpty() ? List.of() : list("id in ?1", found);
    }

    /** The changes whose implementation (from {@code actualStart} to {@code actualEnd}, or still going on) overlaps {@code from}..{@code to}. */
    public static List<ChangeRequest> implementedBetween(Instant from, Instant to) {
        return list("actualStart is not null and actualStart <= ?1 and (actualEnd is null or actualEnd >= ?2)", to, from);
    }
}
