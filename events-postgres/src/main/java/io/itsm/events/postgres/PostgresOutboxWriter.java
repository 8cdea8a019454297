package io.itsm.events.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;

import io.itsm.events.outbox.OutboxEntry;

/** Appends an event to {@code outbox_event} on the caller's connection, inside the caller's transaction. */
public final class PostgresOutboxWriter {

    private static final String INSERT = """
            insert into outbox_event (id, aggregatetype, aggregateid, type, payload, source, dataschema, occurred_at, traceparent, requestid)
            values (?, ?, ?, ?, ?::json, ?, ?, ?, ?, ?)""";

    private PostgresOutboxWriter() {
    }

    public static void append(Connection connection, OutboxEntry entry) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(INSERT)) {
            bind(ps, 1, entry);
            ps.executeUpdate();
        }
    }

    /** Appends the event and inserts {@code companion} in the same statement (a data-modifying {@code WITH}). */
    public static void append(Connection connection, OutboxEntry entry, CompanionRow companion) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("with companion as (" + companion.insertSql() + ")\n" + INSERT)) {
            int index = 1;
            for (Object value : companion.values()) {
                ps.setObject(index++, value instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : value);
            }
            bind(ps, index, entry);
            ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, int first, OutboxEntry entry) throws SQLException {
        ps.setObject(first, entry.id());
        ps.setString(first + 1, entry.aggregateType());
        ps.setString(first + 2, entry.aggregateId());
        ps.setString(first + 3, entry.type());
        ps.setString(first + 4, new String(entry.payload(), StandardCharsets.UTF_8));
        ps.setString(first + 5, entry.source().toString());
        ps.setString(first + 6, entry.dataschema() == null ? null : entry.dataschema().toString());
        ps.setTimestamp(first + 7, Timestamp.from(entry.time()));
        ps.setString(first + 8, entry.traceparent());
        ps.setString(first + 9, entry.requestId());
    }
}
