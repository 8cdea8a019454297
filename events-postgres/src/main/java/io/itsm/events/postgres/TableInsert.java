package io.itsm.events.postgres;

import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A table and the columns a {@link CompanionRow} writes into it, checked (SQL identifiers only, never input) and turned
 * into its {@code insert} once: keep one in a constant and make each row from it.
 */
public final class TableInsert {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final String table;
    private final List<String> columns;
    private final String sql;

    /**
     * @param table   the table to insert into (a lower-case SQL identifier)
     * @param columns the columns to write (lower-case SQL identifiers)
     */
    public TableInsert(String table, List<String> columns) {
        requireIdentifier(table);
        this.table = table;
        this.columns = List.copyOf(columns);
        if (this.columns.isEmpty()) {
            throw new IllegalArgumentException("an insert needs at least one column");
        }
        this.columns.forEach(TableInsert::requireIdentifier);
        this.sql = "insert into " + table + " (" + String.join(", ", this.columns) + ") values ("
                + String.join(", ", Collections.nCopies(this.columns.size(), "?")) + ")";
    }

    public String table() {
        return table;
    }

    public List<String> columns() {
        return columns;
    }

    /** A row of values for these columns, in their order. */
    public CompanionRow row(List<Object> values) {
        return new CompanionRow(this, values);
    }

    /** {@code insert into table (a, b) values (?, ?)}. */
    String sql() {
        return sql;
    }

    static void requireIdentifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a lower-case SQL identifier: " + name);
        }
    }
}
