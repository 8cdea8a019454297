package io.itsm.events;

/** The event types of the suite, one constant each, named {@code itsm.<aggregate>.<past-tense action>}. */
public final class EventTypes {

    public static final String INCIDENT_CREATED = "itsm.incident.created";
    public static final String INCIDENT_UPDATED = "itsm.incident.updated";
    public static final String INCIDENT_STATE_CHANGED = "itsm.incident.state-changed";
    public static final String INCIDENT_ASSIGNED = "itsm.incident.assigned";
    public static final String INCIDENT_RESOLVED = "itsm.incident.resolved";
    public static final String INCIDENT_CLOSED = "itsm.incident.closed";
    public static final String INCIDENT_REOPENED = "itsm.incident.reopened";
    public static final String INCIDENT_SLA_WARNING = "itsm.incident.sla-warning";
    public static final String INCIDENT_SLA_BREACHED = "itsm.incident.sla-breached";

    public static final String CHANGE_CREATED = "itsm.change.created";
    public static final String CHANGE_UPDATED = "itsm.change.updated";
    public static final String CHANGE_STATE_CHANGED = "itsm.change.state-changed";
    public static final String CHANGE_RISK_CHANGED = "itsm.change.risk-changed";
    public static final String CHANGE_APPROVAL_RECORDED = "itsm.change.approval-recorded";
    public static final String CHANGE_SCHEDULED = "itsm.change.scheduled";
    public static final String CHANGE_CONFLICT_DETECTED = "itsm.change.conflict-detected";
    public static final String CHANGE_IMPLEMENTED = "itsm.change.implemented";
    public static final String CHANGE_CLOSED = "itsm.change.closed";
    public static final String CHANGE_INCIDENT_CORRELATED = "itsm.change.incident-correlated";

    public static final String CI_CREATED = "itsm.ci.created";
    public static final String CI_UPDATED = "itsm.ci.updated";
    public static final String CI_RETIRED = "itsm.ci.retired";
    public static final String CI_DELETED = "itsm.ci.deleted";
    public static final String RELATIONSHIP_CREATED = "itsm.relationship.created";
    public static final String RELATIONSHIP_DELETED = "itsm.relationship.deleted";
    public static final String RECONCILE_COMPLETED = "itsm.reconcile.completed";

    private EventTypes() {
    }
}
