package io.itsm.events.postgres;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import io.itsm.events.outbox.OutboxEntry;
import io.itsm.events.outbox.OutboxPublisher;
import io.itsm.events.outbox.OutboxStore;

/**
 * The relay's side of the {@code outbox_event} table. One pass runs in one transaction that first takes a
 * transaction-scoped advisory lock, so with several replicas exactly one relays at a time and the
 * per-aggregate order of {@code seq} is kept; rows are deleted only once Kafka acknowledged them.
 */
public class PostgresOutboxStore implements OutboxStore {

    /** The advisory lock that elects the one relaying replica; any constant shared by all replicas. */
    static final long RELAY_LOCK_KEY = 0x17_5E_0B_0CL;

    private final DataSource dataSource;

    public PostgresOutboxStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public int relay(int maxEntries, OutboxPublisher publisher) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int delivered = relay(c, maxEntries, publisher);
                c.commit();
                return delivered;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private int relay(Connection c, int maxEntries, OutboxPublisher publisher) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select pg_try_advisory_xact_lock(" + RELAY_LOCK_KEY + ")")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return 0;
            }
        }
        List<OutboxEntry> batch = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select id, aggregatetype, aggregateid, type, payload::text, source, dataschema, occurred_at, traceparent, requestid
                  from outbox_event order by seq limit ?""")) {
            ps.setInt(1, maxEntries);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String dataschema = rs.getString(7);
                    batch.add(new OutboxEntry(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getString(4), URI.create(rs.getString(6)), dataschema == null ? null : URI.create(dataschema),
                            rs.getTimestamp(8).toInstant(), rs.getString(5).getBytes(StandardCharsets.UTF_8),
                            rs.getString(9), rs.getString(10)));
                }
            }
        }
        if (batch.isEmpty()) {
            return 0;
        }
        Set<UUID> delivered = publisher.publish(batch);
        if (!delivered.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("delete from outbox_event where id = any(?)")) {
                Array ids = c.createArrayOf("uuid", delivered.toArray());
                ps.setArray(1, ids);
                ps.executeUpdate();
            }
        }
        return delivered.size();
    }

    @Override
    public long pending() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from outbox_event")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
