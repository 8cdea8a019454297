package io.itsm.change;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

/**
 * The product issue's transition tables per change type, written out independently of {@link ChangeLifecycle}
 * so the tests check the code against the specification. Rows are "from", columns "to"; x = allowed.
 */
final class ExpectedLifecycles {

    private static final String NORMAL = """
                        NEW  ASSESS  AUTHORIZE  SCHEDULED  IMPLEMENT  REVIEW  CLOSED  CANCELED
            NEW          -     x        -          -          -         -       -        x
            ASSESS       -     -        x          -          -         -       -        x
            AUTHORIZE    -     -        -          x          -         -       -        x
            SCHEDULED    -     -        -          -          x         -       -        x
            IMPLEMENT    -     -        -          -          -         x       -        x
            REVIEW       -     -        -          -          -         -       x        x
            CLOSED       -     -        -          -          -         -       -        -
            CANCELED     -     -        -          -          -         -       -        -
            """;

    private static final String EMERGENCY = """
                        NEW  ASSESS  AUTHORIZE  SCHEDULED  IMPLEMENT  REVIEW  CLOSED  CANCELED
            NEW          -     -        x          -          -         -       -        x
            ASSESS       -     -        -          -          -         -       -        -
            AUTHORIZE    -     -        -          x          -         -       -        x
            SCHEDULED    -     -        -          -          x         -       -        x
            IMPLEMENT    -     -        -          -          -         x       -        x
            REVIEW       -     -        -          -          -         -       x        x
            CLOSED       -     -        -          -          -         -       -        -
            CANCELED     -     -        -          -          -         -       -        -
            """;

    private static final String STANDARD = """
                        NEW  ASSESS  AUTHORIZE  SCHEDULED  IMPLEMENT  REVIEW  CLOSED  CANCELED
            NEW          -     -        -          x          -         -       -        x
            ASSESS       -     -        -          -          -         -       -        -
            AUTHORIZE    -     -        -          -          -         -       -        -
            SCHEDULED    -     -        -          -          x         -       -        x
            IMPLEMENT    -     -        -          -          -         x       -        x
            REVIEW       -     -        -          -          -         -       x        x
            CLOSED       -     -        -          -          -         -       -        -
            CANCELED     -     -        -          -          -         -       -        -
            """;

    private static final Map<ChangeType, String> TABLES = Map.of(ChangeType.NORMAL, NORMAL, ChangeType.EMERGENCY, EMERGENCY,
            ChangeType.STANDARD, STANDARD);

    private ExpectedLifecycles() {
    }

    static boolean allowed(ChangeType type, ChangeState from, ChangeState to) {
        String[] row = TABLES.get(type).lines().skip(1 + from.ordinal()).findFirst().orElseThrow().trim().split("\\s+");
        if (!row[0].equals(from.name())) {
            throw new IllegalStateException("table row " + row[0] + " is not " + from);
        }
        return row[1 + to.ordinal()].equals("x");
    }

    /** All 3 x 64 (type, from, to, allowed) cells. */
    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        for (ChangeType type : ChangeType.values()) {
            for (ChangeState from : ChangeState.values()) {
                for (ChangeState to : ChangeState.values()) {
                    cells.add(Arguments.of(type, from, to, allowed(type, from, to)));
                }
            }
        }
        return cells.stream();
    }
}
