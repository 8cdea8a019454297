package io.itsm.events.postgres;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A row of the caller's own that {@link PostgresOutboxWriter} inserts in the same statement as an outbox entry, e.g.
 * the history entry of the change the event describes: a data-modifying {@code WITH} writes both, so the pair costs
 * one round trip and one statement's start-up instead of two, and neither row exists without the other.
 *
 * @param table   the table to insert into (a lower-case SQL identifier, from code, never from input)
 * @param columns the columns to write (lower-case SQL identifiers)
 * @param values  one value per column, in the same order: {@link java.time.Instant} is written as {@code timestamptz},
 *                the rest as the driver maps it ({@link java.util.UUID}, strings, numbers, booleans, null)
 */
public record CompanionRow(String table, List<String> columns, List<Object> values) {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public CompanionRow {
        requireIdentifier(table);
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a companion row needs at least one column");
        }
        columns.forEach(CompanionRow::requireIdentifier);
        if (values.size() != columns.size()) {
            throw new IllegalArgumentException(columns.size() + " columns but " + values.size() + " values");
        }
        values = Collections.unmodifiableList(new ArrayList<>(values)); // values may be null
    }

    /** {@code insert into table (a, b) values (?, ?)}: the statement's companion part. */
    String insertSql() {
        return "insert into " + table + " (" + String.join(", ", columns) + ") values ("
                + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
    }

    static void requireIdentifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a lower-case SQL identifier: " + name);
        }
    }
}
