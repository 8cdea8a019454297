package io.itsm.incident;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The ITIL priority matrix: impact (1 high … 3 low) × urgency (1 high … 3 low) → priority 1 (critical) …
 * 5 (planning).
 */
@ApplicationScoped
public class PriorityMatrix {

    private static final int[][] ITIL = {
            {1, 2, 3},
            {2, 3, 4},
            {3, 4, 5},
    };

    public int priority(int impact, int urgency) {
        if (impact < 1 || impact > 3 || urgency < 1 || urgency > 3) {
            throw new IllegalArgumentException("impact and urgency must be 1..3, were " + impact + " and " + urgency);
        }
        return ITIL[impact - 1][urgency - 1];
    }
}
