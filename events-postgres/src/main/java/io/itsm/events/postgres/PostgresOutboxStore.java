package io.itsm.events.postgres;

import java.net.URI;
import java.nio.charset.StandardCharsets;
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

import io.itsm.events.Aggregate;
import io.itsm.events.outbox.OutboxEntry;
import io.itsm.events.outbox.OutboxPublisher;
import io.itsm.events.outbox.OutboxStore;
import io.itsm.events.outbox.PendingEvent;

/**
 * The relay's side of the {@code outbox_event} table. One pass runs in one transaction that first takes a
 * transaction-scoped advisory lock, so with several replicas exactly one relays at a time and the
 * per-aggregate order of {@code seq} is kept; rows are deleted only once Kafka acknowledged them.
 *
 * <p>Once per taking of the lock (the first pass, the first after a failed pass or after another replica relayed) the
 * pass first asks the publisher which pending rows are on Kafka already ({@link OutboxPublisher#alreadyPublished}):
 * a relay that died after Kafka acknowledged a batch and before its delete committed left them. They are deleted
 * without publishing them again, so every event is published once per event id.
 */
public class PostgresOutboxStore implements OutboxStore {

    /** The advisory lock that elects the one relaying replica; any constant shared by all replicas. */
    static final long RELAY_LOCK_KEY = 0x17_5E_0B_0CL;

    /** Most pending rows read to ask which of them were published; a dead relay left at most one batch. */
    static final int MAX_CHECKED = 100_000;

    private final DataSource dataSource;
    /** Whether this relay, since it last took the lock, checked for rows its predecessor published already. */
    private volatile boolean checked;

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
                checked = false; // the deletes of a batch Kafka acknowledged may be rolled back
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
                checked = false;
                return 0;
            }
        }
        if (!checked) {
            forgetPublished(c, publisher);
            checked = true;
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
            delete(c, delivered);
        }
        return delivered.size();
    }

    /** Deletes the pending rows that the publisher finds on Kafka already. */
    private void forgetPublished(Connection c, OutboxPublisher publisher) throws SQLException {
        List<PendingEvent> pending = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id, aggregatetype, occurred_at from outbox_event order by seq limit ?")) {
            ps.setInt(1, MAX_CHECKED);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    java.util.Optional<Aggregate> aggregate = Aggregate.ofTypeName(rs.getString(2));
                    if (aggregate.isPresent()) {
                        pending.add(new PendingEvent(rs.getObject(1, UUID.class), aggregate.get().topic(), rs.getTimestamp(3).toInstant()));
                    }
                }
            }
        }
        Set<UUID> published = publisher.alreadyPublished(pending);
        if (!published.isEmpty()) {
            delete(c, published);
        }
    }

    private static void delete(Connection c, Set<UUID> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from outbox_event where id = any(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            ps.executeUpdate();
        }
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
