package io.itsm.events.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.itsm.events.outbox.OutboxEntry;

/**
 * Appends an event to {@code outbox_event} on the caller's connection, inside the caller's transaction. Rows of the
 * caller's own (the history entry of the change, the new aggregate itself) can go in the same statement as data-modifying
 * {@code WITH} parts: on a machine where a round trip to PostgreSQL costs about as much as the statement it carries, a
 * command that writes its rows and its event in one statement is markedly faster, and no row exists without the others.
 */
public final class PostgresOutboxWriter {

    private static final String COLUMNS = "id, aggregatetype, aggregateid, type, payload, source, dataschema, occurred_at, traceparent, requestid";

    private static final String INSERT = "insert into outbox_event (" + COLUMNS + ")\nvalues (?, ?, ?, ?, ?::json, ?, ?, ?, ?, ?)";

    private PostgresOutboxWriter() {
    }

    public static void append(Connection connection, OutboxEntry entry) throws SQLException {
        append(connection, entry, List.of());
    }

    /** Appends the event and inserts the {@code companions} in the same statement. */
    public static void append(Connection connection, OutboxEntry entry, List<CompanionRow> companions) throws SQLException {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < companions.size(); i++) {
            sql.append(i == 0 ? "with " : ",\n").append("companion").append(i + 1).append(" as (").append(companions.get(i).insertSql()).append(')');
        }
        sql.append(companions.isEmpty() ? "" : "\n").append(INSERT);
        try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
            int index = bind(ps, 1, companions);
            bind(ps, index, entry);
            ps.executeUpdate();
        }
    }

    /**
     * Inserts a new aggregate's row, the {@code companions} and its event in one statement. The value the database
     * generates for the row replaces {@link NewAggregateRow#placeholder()} in the event's payload (text for text: the
     * payload keeps its form); it is also returned.
     *
     * @return the generated value, e.g. {@code INC0010042}
     * @throws IllegalArgumentException when the payload does not carry the placeholder exactly once
     */
    public static String appendCreated(Connection connection, OutboxEntry entry, NewAggregateRow created, List<CompanionRow> companions)
            throws SQLException {
        String payload = new String(entry.payload(), StandardCharsets.UTF_8);
        int at = payload.indexOf(created.placeholderJson());
        if (at < 0 || payload.indexOf(created.placeholderJson(), at + 1) >= 0) {
            throw new IllegalArgumentException("the event's payload must carry the placeholder for " + created.generated() + " exactly once");
        }
        StringBuilder sql = new StringBuilder("with created as (").append(created.row().insertSql())
                .append(" returning ").append(created.generated()).append(')');
        for (int i = 0; i < companions.size(); i++) {
            sql.append(",\ncompanion").append(i + 1).append(" as (").append(companions.get(i).insertSql()).append(')');
        }
        // In a SELECT list a parameter has no column to take its type from: each is cast to its column's type.
        sql.append(",\nevent as (insert into outbox_event (").append(COLUMNS).append(")\n")
                .append("select ?::uuid, ?::varchar, ?::varchar, ?::varchar, replace(?::text, ?::text, to_json(created.")
                .append(created.generated()).append(")::text)::json, ?::varchar, ?::varchar, ?::timestamptz, ?::varchar, ?::varchar")
                .append(" from created)\nselect ").append(created.generated()).append(" from created");
        try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
            int index = bind(ps, 1, List.of(created.row()));
            index = bind(ps, index, companions);
            ps.setObject(index, entry.id());
            ps.setString(index + 1, entry.aggregateType());
            ps.setString(index + 2, entry.aggregateId());
            ps.setString(index + 3, entry.type());
            ps.setString(index + 4, payload);
            ps.setString(index + 5, created.placeholderJson());
            bindAfterPayload(ps, index + 6, entry);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the insert into " + created.row().into().table() + " returned no row");
                }
                return rs.getString(1);
            }
        }
    }

    private static int bind(PreparedStatement ps, int first, List<CompanionRow> rows) throws SQLException {
        int index = first;
        for (CompanionRow row : rows) {
            for (Object value : row.values()) {
                ps.setObject(index++, value instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : value);
            }
        }
        return index;
    }

    private static void bind(PreparedStatement ps, int first, OutboxEntry entry) throws SQLException {
        ps.setObject(first, entry.id());
        ps.setString(first + 1, entry.aggregateType());
        ps.setString(first + 2, entry.aggregateId());
        ps.setString(first + 3, entry.type());
        ps.setString(first + 4, new String(entry.payload(), StandardCharsets.UTF_8));
        bindAfterPayload(ps, first + 5, entry);
    }

    private static void bindAfterPayload(PreparedStatement ps, int first, OutboxEntry entry) throws SQLException {
        ps.setString(first, entry.source().toString());
        ps.setString(first + 1, entry.dataschema() == null ? null : entry.dataschema().toString());
        ps.setTimestamp(first + 2, Timestamp.from(entry.time()));
        ps.setString(first + 3, entry.traceparent());
        ps.setString(first + 4, entry.requestId());
    }
}
