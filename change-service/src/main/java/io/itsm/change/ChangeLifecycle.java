package io.itsm.change;

import static io.itsm.change.ChangeState.ASSESS;
import static io.itsm.change.ChangeState.AUTHORIZE;
import static io.itsm.change.ChangeState.CANCELED;
import static io.itsm.change.ChangeState.CLOSED;
import static io.itsm.change.ChangeState.IMPLEMENT;
import static io.itsm.change.ChangeState.NEW;
import static io.itsm.change.ChangeState.REVIEW;
import static io.itsm.change.ChangeState.SCHEDULED;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.itsm.events.EventTypes;
import io.itsm.rest.Roles;

/**
 * The change state machines as data: per change type, the path a change follows and who may move it along.
 * Every non-final state may also go to CANCELED; CLOSED and CANCELED are final. A rejected approval returns a
 * change from AUTHORIZE to NEW, but only as the effect of the rejection, never as a requested transition.
 */
public final class ChangeLifecycle {

    /** The path of each type, NEW first and CLOSED last. */
    public static final Map<ChangeType, List<ChangeState>> PATHS = Map.of(
            ChangeType.NORMAL, List.of(NEW, ASSESS, AUTHORIZE, SCHEDULED, IMPLEMENT, REVIEW, CLOSED),
            ChangeType.EMERGENCY, List.of(NEW, AUTHORIZE, SCHEDULED, IMPLEMENT, REVIEW, CLOSED),
            ChangeType.STANDARD, List.of(NEW, SCHEDULED, IMPLEMENT, REVIEW, CLOSED));

    private static final Set<String> MANAGERS = Set.of(Roles.CHANGE_MANAGER, Roles.ADMIN);
    private static final Set<String> IMPLEMENTERS = Set.of(Roles.AGENT, Roles.CHANGE_MANAGER, Roles.ADMIN);

    private static final Map<ChangeType, Map<ChangeState, Set<ChangeState>>> ALLOWED = new EnumMap<>(ChangeType.class);

    static {
        for (ChangeType type : ChangeType.values()) {
            Map<ChangeState, Set<ChangeState>> table = new EnumMap<>(ChangeState.class);
            for (ChangeState state : ChangeState.values()) {
                table.put(state, EnumSet.noneOf(ChangeState.class));
            }
            List<ChangeState> path = PATHS.get(type);
            for (int i = 0; i + 1 < path.size(); i++) {
                table.get(path.get(i)).add(path.get(i + 1));
                table.get(path.get(i)).add(CANCELED);
            }
            table.replaceAll((state, next) -> Collections.unmodifiableSet(next));
            ALLOWED.put(type, Collections.unmodifiableMap(table));
        }
    }

    private ChangeLifecycle() {
    }

    /** The states a change of {@code type} in {@code from} may be moved to; empty for a final state or a state off its path. */
    public static Set<ChangeState> allowedFrom(ChangeType type, ChangeState from) {
        return ALLOWED.get(type).get(from);
    }

    public static boolean isAllowed(ChangeType type, ChangeState from, ChangeState to) {
        return allowedFrom(type, from).contains(to);
    }

    public static boolean isFinal(ChangeState state) {
        return state == CLOSED || state == CANCELED;
    }

    /**
     * The roles that may move a change of {@code type} to {@code to}: the change manager takes it through ASSESS,
     * AUTHORIZE and SCHEDULED, except that a pre-approved STANDARD change is scheduled by whoever implements it.
     */
    public static Set<String> rolesFor(ChangeType type, ChangeState to) {
        if (to == ASSESS || to == AUTHORIZE || (to == SCHEDULED && type != ChangeType.STANDARD)) {
            return MANAGERS;
        }
        return IMPLEMENTERS;
    }

    /** The event type that reports the transition into {@code to}. */
    public static String eventType(ChangeState to) {
        return switch (to) {
            case SCHEDULED -> EventTypes.CHANGE_SCHEDULED;
            case REVIEW -> EventTypes.CHANGE_IMPLEMENTED;
            case CLOSED -> EventTypes.CHANGE_CLOSED;
            default -> EventTypes.CHANGE_STATE_CHANGED;
        };
    }
}
