package io.itsm.incident;

import java.util.List;

/**
 * The priority matrix: impact (1 high … 3 low) × urgency (1 high … 3 low) → priority 1 (critical) … 5
 * (planning). The ITIL matrix is the default; the service reads its rows from configuration
 * ({@code itsm.incident.priority-matrix}).
 */
public final class PriorityMatrix {

    /** The ITIL matrix, one row per impact, one column per urgency. */
    public static final List<String> ITIL_ROWS = List.of("1 2 3", "2 3 4", "3 4 5");

    private final int[][] cells = new int[3][3];

    /**
     * @param rows three rows (impact 1, 2, 3), each three priorities (urgency 1, 2, 3) separated by spaces
     * @throws IllegalArgumentException when the matrix is not 3×3 priorities between 1 and 5
     */
    public PriorityMatrix(List<String> rows) {
        if (rows.size() != 3) {
            throw new IllegalArgumentException("the priority matrix needs 3 rows (impact 1..3), has " + rows.size() + ": " + rows);
        }
        for (int i = 0; i < 3; i++) {
            String[] row = rows.get(i).strip().split("\\s+");
            if (row.length != 3) {
                throw new IllegalArgumentException("priority matrix row " + (i + 1) + " needs 3 priorities (urgency 1..3): '" + rows.get(i) + "'");
            }
            for (int j = 0; j < 3; j++) {
                int priority = Integer.parseInt(row[j]);
                if (priority < 1 || priority > 5) {
                    throw new IllegalArgumentException("priorities are 1..5, the matrix has " + priority);
                }
                cells[i][j] = priority;
            }
        }
    }

    public static PriorityMatrix itil() {
        return new PriorityMatrix(ITIL_ROWS);
    }

    public int priority(int impact, int urgency) {
        if (impact < 1 || impact > 3 || urgency < 1 || urgency > 3) {
            throw new IllegalArgumentException("impact and urgency must be 1..3, were " + impact + " and " + urgency);
        }
        return cells[impact - 1][urgency - 1];
    }
}
