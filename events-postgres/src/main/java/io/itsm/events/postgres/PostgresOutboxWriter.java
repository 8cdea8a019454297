package io.itsm.events.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;

import io.itsm.events.outbox.OutboxEntry;

/** Appends an event to {@code outbox_event} on the caller's connection, inside the caller's transaction. */
public final class PostgresOutboxWriter {

    private PostgresOutboxWriter() {
    }

    public static void append(Connection connection, OutboxEntry entry) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("""
                insert into outbox_event (id, aggregatetype, aggregateid, type, payload, source, dataschema, occurred_at, traceparent, requestid)
                values (?, ?, ?, ?, ?::json, ?, ?, ?, ?, ?)""")) {
            ps.setObject(1, entry.id());
            ps.setString(2, entry.aggregateType());
            ps.setString(3, entry.aggregateId());
            ps.setString(4, entry.type());
            ps.setString(5, new String(entry.payload(), StandardCharsets.UTF_8));
            ps.setString(6, entry.source().toString());
            ps.setString(7, entry.dataschema() == null ? null : entry.dataschema().toString());
            ps.setTimestamp(8, Timestamp.from(entry.time()));
            ps.setString(9, entry.traceparent());
            ps.setString(10, entry.requestId());
            ps.executeUpdate();
        }
    }
}
