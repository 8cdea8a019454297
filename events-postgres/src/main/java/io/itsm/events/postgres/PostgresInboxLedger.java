package io.itsm.events.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.itsm.events.CloudEvent;

/** Records processed events in {@code inbox_event} on the caller's connection, inside the effect's transaction. */
public final class PostgresInboxLedger {

    /** Rows per statement when recording a batch (four parameters each, well under the protocol's 65,535). */
    private static final int ROWS_PER_STATEMENT = 1000;

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

    /**
     * Records a batch with one statement per thousand events.
     *
     * @return the events recorded now, in the given order: not those processed before, and an event listed twice only
     *         once
     */
    public static List<CloudEvent> recordFirstDeliveries(Connection connection, String topic, List<CloudEvent> events)
            throws SQLException {
        Set<Key> recorded = new HashSet<>();
        for (int from = 0; from < events.size(); from += ROWS_PER_STATEMENT) {
            List<CloudEvent> part = events.subList(from, Math.min(events.size(), from + ROWS_PER_STATEMENT));
            StringBuilder sql = new StringBuilder("insert into inbox_event (source, event_id, topic, type) values ");
            for (int i = 0; i < part.size(); i++) {
                sql.append(i == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)");
            }
            sql.append(" on conflict (source, event_id) do nothing returning source, event_id");
            try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
                int p = 1;
                for (CloudEvent event : part) {
                    ps.setString(p++, event.source().toString());
                    ps.setObject(p++, event.id());
                    ps.setString(p++, topic);
                    ps.setString(p++, event.type());
                }
                try (ResultSet rows = ps.executeQuery()) {
                    while (rows.next()) {
                        recorded.add(new Key(rows.getString(1), rows.getObject(2, UUID.class)));
                    }
                }
            }
        }
        List<CloudEvent> first = new ArrayList<>(recorded.size());
        for (CloudEvent event : events) {
            if (recorded.remove(new Key(event.source().toString(), event.id()))) {
                first.add(event);
            }
        }
        return first;
    }

    private record Key(String source, UUID eventId) {
    }
}
