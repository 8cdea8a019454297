package io.itsm.incident;

import static io.itsm.incident.IncidentState.CANCELED;
import static io.itsm.incident.IncidentState.CLOSED;
import static io.itsm.incident.IncidentState.IN_PROGRESS;
import static io.itsm.incident.IncidentState.NEW;
import static io.itsm.incident.IncidentState.ON_HOLD;
import static io.itsm.incident.IncidentState.RESOLVED;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.itsm.events.EventTypes;

/**
 * The incident state machine as data: for each state, the states an incident may move to next. CLOSED and
 * CANCELED are final. The {@link Incident} aggregate consults this table before every transition.
 */
@ApplicationScoped
public class IncidentLifecycle {

    private final Map<IncidentState, Set<IncidentState>> allowed = new EnumMap<>(IncidentState.class);

    public IncidentLifecycle() {
        allow(NEW, IN_PROGRESS, ON_HOLD, RESOLVED, CANCELED);
        allow(IN_PROGRESS, ON_HOLD, RESOLVED, CANCELED);
        allow(ON_HOLD, IN_PROGRESS, RESOLVED, CANCELED);
        allow(RESOLVED, CLOSED, IN_PROGRESS);
        allow(CLOSED);
        allow(CANCELED);
    }

    private void allow(IncidentState from, IncidentState... to) {
        Set<IncidentState> next = EnumSet.noneOf(IncidentState.class);
        next.addAll(java.util.List.of(to));
        allowed.put(from, Collections.unmodifiableSet(next));
    }

    /** The states an incident in {@code from} may move to, in declaration order; empty for a final state. */
    public Set<IncidentState> allowedFrom(IncidentState from) {
        return allowed.get(from);
    }

    public boolean isAllowed(IncidentState from, IncidentState to) {
        return allowedFrom(from).contains(to);
    }

    public boolean isFinal(IncidentState state) {
        return allowedFrom(state).isEmpty();
    }

    /** The event type that reports the transition {@code from → to}. */
    public String eventType(IncidentState from, IncidentState to) {
        if (to == RESOLVED) {
            return EventTypes.INCIDENT_RESOLVED;
        }
        if (to == CLOSED) {
            return EventTypes.INCIDENT_CLOSED;
        }
        if (from == RESOLVED && to == IN_PROGRESS) {
            return EventTypes.INCIDENT_REOPENED;
        }
        return EventTypes.INCIDENT_STATE_CHANGED;
    }
}
