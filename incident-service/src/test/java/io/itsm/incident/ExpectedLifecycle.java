package io.itsm.incident;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

/**
 * The product issue's transition table, written out independently of {@link IncidentLifecycle} so the tests
 * check the code against the specification and not against itself. Rows are "from", columns "to".
 */
final class ExpectedLifecycle {

    private static final String TABLE = """
                         NEW  IN_PROGRESS  ON_HOLD  RESOLVED  CLOSED  CANCELED
            NEW           -        x          x        x        -        x
            IN_PROGRESS   -        -          x        x        -        x
            ON_HOLD       -        x          -        x        -        x
            RESOLVED      -        x          -        -        x        -
            CLOSED        -        -          -        -        -        -
            CANCELED      -        -          -        -        -        -
            """;

    private ExpectedLifecycle() {
    }

    static boolean allowed(IncidentState from, IncidentState to) {
        String[] row = TABLE.lines().skip(1 + from.ordinal()).findFirst().orElseThrow().trim().split("\\s+");
        if (!row[0].equals(from.name())) {
            throw new IllegalStateException("table row " + row[0] + " is not " + from);
        }
        return row[1 + to.ordinal()].equals("x");
    }

    static Set<IncidentState> allowedFrom(IncidentState from) {
        Set<IncidentState> next = EnumSet.noneOf(IncidentState.class);
        for (IncidentState to : IncidentState.values()) {
            if (allowed(from, to)) {
                next.add(to);
            }
        }
        return next;
    }

    /** All 36 (from, to, allowed) cells. */
    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        for (IncidentState from : IncidentState.values()) {
            for (IncidentState to : IncidentState.values()) {
                cells.add(Arguments.of(from, to, allowed(from, to)));
            }
        }
        return cells.stream();
    }

    /** Allowed transitions that bring a new incident to {@code state}. */
    static List<IncidentState> pathFromNew(IncidentState state) {
        return switch (state) {
            case NEW -> List.of();
            case IN_PROGRESS, ON_HOLD, RESOLVED, CANCELED -> List.of(state);
            case CLOSED -> List.of(IncidentState.RESOLVED, IncidentState.CLOSED);
        };
    }
}
