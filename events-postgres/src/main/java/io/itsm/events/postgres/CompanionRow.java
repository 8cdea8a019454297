package io.itsm.events.postgres;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A row of the caller's own that {@link PostgresOutboxWriter} inserts in the same statement as an outbox entry, e.g.
 * the history entry of the change the event describes: a data-modifying {@code WITH} writes both, so the pair costs
 * one round trip and one statement's start-up instead of two, and neither row exists without the other.
 *
 * @param into   the table and columns (see {@link TableInsert#row})
 * @param values one value per column, in the same order: {@link java.time.Instant} is written as {@code timestamptz},
 *               the rest as the driver maps it ({@link java.util.UUID}, strings, numbers, booleans, null)
 */
public record CompanionRow(TableInsert into, List<Object> values) {

    public CompanionRow {
        if (values.size() != into.columns().size()) {
            throw new IllegalArgumentException(into.columns().size() + " columns but " + values.size() + " values");
        }
        values = Collections.unmodifiableList(new ArrayList<>(values)); // values may be null
    }

    /** {@code insert into table (a, b) values (?, ?)}: the statement's companion part. */
    String insertSql() {
        return into.sql();
    }
}
