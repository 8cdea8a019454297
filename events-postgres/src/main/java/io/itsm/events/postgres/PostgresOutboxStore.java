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
import java.util.Optional;
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
 * <p><b>Once per event id.</b> Before a pass publishes, it notes in {@code outbox_relay_state} (committed at once, on
 * a connection of its own) the highest {@code seq} of its batch, and clears the note in the transaction that deletes
 * the published rows when Kafka acknowledged all of them. A note found set therefore means a pass published and then
 * died or failed before its delete committed, or that Kafka did not acknowledge part of it (a time-out says nothing of
 * whether the broker wrote the event): the next pass, whichever replica runs it, asks the publisher which rows up to that {@code seq} are on
 * Kafka already ({@link OutboxPublisher#alreadyPublished}) and deletes them instead of publishing them again. Passes
 * that end normally cost one extra small update and never read Kafka.
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
        Long unfinished = inFlightUpTo(c);
        if (unfinished != null) {
            forgetPublished(c, unfinished, publisher);
        }
        List<OutboxEntry> batch = new ArrayList<>();
        long lastSeq = 0;
        try (PreparedStatement ps = c.prepareStatement("""
                select id, aggregatetype, aggregateid, type, payload::text, source, dataschema, occurred_at, traceparent, requestid, seq
                  from outbox_event order by seq limit ?""")) {
            ps.setInt(1, maxEntries);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String dataschema = rs.getString(7);
                    batch.add(new OutboxEntry(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getString(4), URI.create(rs.getString(6)), dataschema == null ? null : URI.create(dataschema),
                            rs.getTimestamp(8).toInstant(), rs.getString(5).getBytes(StandardCharsets.UTF_8),
                            rs.getString(9), rs.getString(10)));
                    lastSeq = rs.getLong(11);
                }
            }
        }
        if (batch.isEmpty()) {
            if (unfinished != null) {
                setInFlight(c, null);
            }
            return 0;
        }
        markInFlight(lastSeq);
        Set<UUID> delivered = publisher.publish(batch);
        if (!delivered.isEmpty()) {
            delete(c, delivered);
        }
        if (delivered.size() == batch.size()) {
            setInFlight(c, null); // commits with the deletes
        }
        // else the note stays: an event Kafka did not acknowledge in time may have been written all the same, so the
        // next pass asks Kafka before it publishes the rest again
        return delivered.size();
    }

    /** The highest {@code seq} a pass published without its delete committing, or null. */
    private static Long inFlightUpTo(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select in_flight_up_to from outbox_relay_state where id = 1")) {
            if (!rs.next()) {
                return null;
            }
            long value = rs.getLong(1);
            return rs.wasNull() ? null : value;
        }
    }

    /** Notes, committed now, that rows up to {@code seq} are about to be published. */
    private void markInFlight(long seq) throws SQLException {
        try (Connection marker = dataSource.getConnection()) {
            marker.setAutoCommit(true);
            setInFlight(marker, seq);
        }
    }

    private static void setInFlight(Connection c, Long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into outbox_relay_state (id, in_flight_up_to, updated_at) values (1, ?, now())
                on conflict (id) do update set in_flight_up_to = excluded.in_flight_up_to, updated_at = excluded.updated_at""")) {
            if (seq == null) {
                ps.setNull(1, java.sql.Types.BIGINT);
            } else {
                ps.setLong(1, seq);
            }
            ps.executeUpdate();
        }
    }

    /** Deletes the rows up to {@code upToSeq} that the publisher finds on Kafka already (per aggregate, a prefix). */
    private static void forgetPublished(Connection c, long upToSeq, OutboxPublisher publisher) throws SQLException {
        List<PendingEvent> pending = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select id, aggregatetype, aggregateid, occurred_at from outbox_event where seq <= ? order by seq")) {
            ps.setLong(1, upToSeq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Optional<Aggregate> aggregate = Aggregate.ofTypeName(rs.getString(2));
                    if (aggregate.isPresent()) {
                        pending.add(new PendingEvent(rs.getObject(1, UUID.class), rs.getString(3), aggregate.get().topic(),
                                rs.getTimestamp(4).toInstant()));
                    }
                }
            }
        }
        Set<UUID> published = PendingEvent.publishedPrefixes(pending, publisher.alreadyPublished(pending));
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
