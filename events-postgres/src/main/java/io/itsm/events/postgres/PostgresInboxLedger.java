package io.itsm.events.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import io.itsm.events.CloudEvent;

/** Records processed events in {@code inbox_event} on the caller's connection, inside the effect's transaction. */
public final class PostgresInboxLedger {

    private PostgresInboxLedger() {
    }

    /** @return true the first time the event is recorded, false when it was processed before */
    public static boolean recordFirstDelivery(Connection connection, String topic, CloudEvent event) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("""
                insert into inbox_event (source, event_id, topic, type) values (?, ?, ?, ?)
                on conflict (source, event_id) do nothing""")) {
            ps.setString(1, event.source().toString());
            ps.setObject(2, event.id());
            ps.setString(3, topic);
            ps.setString(4, event.type());
            return ps.executeUpdate() == 1;
        }
    }
}
