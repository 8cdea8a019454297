package io.itsm.events.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.itsm.events.outbox.OutboxEntry;

/** The outbox writer on a real PostgreSQL: an entry alone, and an entry with a companion row written by the same statement. */
class PostgresOutboxWriterTest {

    private static final List<String> COLUMNS = List.of("aggregate_id", "at", "actor", "note");

    private static DataSource ds;

    @BeforeAll
    static void database() throws SQLException {
        ds = OutboxFixture.migratedDatabase("outbox_writer_test");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table if not exists companion_history (id bigserial primary key, aggregate_id uuid not null,"
                    + " at timestamptz not null, actor varchar(20) not null, note text)");
        }
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("delete from outbox_event; delete from companion_history");
        }
    }

    @Test
    void anEntryAndItsCompanionRowAreWrittenByOneStatement() throws SQLException {
        UUID aggregate = UUID.randomUUID();
        OutboxEntry entry = OutboxFixture.entry(aggregate.toString(), 1);
        Instant at = Instant.parse("2026-12-05T08:15:30.123456Z");
        List<String> statements = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            PostgresOutboxWriter.append(counting(c, statements), entry,
                    new CompanionRow("companion_history", COLUMNS, Arrays.asList(aggregate, at, "jane", null)));
            c.commit();
        }

        assertThat(statements).hasSize(1);
        assertThat(outboxIds()).containsExactly(entry.id());
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select aggregate_id, at, actor, note from companion_history")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getObject(1, UUID.class)).isEqualTo(aggregate);
            assertThat(rs.getTimestamp(2).toInstant()).isEqualTo(at);
            assertThat(rs.getString(3)).isEqualTo("jane");
            assertThat(rs.getString(4)).isNull();
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void whenTheCompanionRowCannotBeWrittenNeitherIs() throws SQLException {
        OutboxEntry entry = OutboxFixture.entry(UUID.randomUUID().toString(), 1);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true); // the statement alone decides: no transaction around it rolls anything back
            CompanionRow tooLong = new CompanionRow("companion_history", COLUMNS,
                    Arrays.asList(UUID.randomUUID(), Instant.now(), "an actor name longer than twenty", "x"));
            assertThatThrownBy(() -> PostgresOutboxWriter.append(c, entry, tooLong)).isInstanceOf(SQLException.class);
        }
        assertThat(outboxIds()).isEmpty();
        assertThat(count("companion_history")).isZero();
    }

    @Test
    void anEntryAloneIsWrittenWithoutACompanion() throws SQLException {
        OutboxEntry entry = OutboxFixture.entry(UUID.randomUUID().toString(), 7);
        try (Connection c = ds.getConnection()) {
            PostgresOutboxWriter.append(c, entry);
        }
        assertThat(outboxIds()).containsExactly(entry.id());
        assertThat(count("companion_history")).isZero();
    }

    @Test
    void aCompanionRowTakesOnlyIdentifiersAndOneValuePerColumn() {
        List<Object> values = Arrays.asList(UUID.randomUUID(), Instant.now(), "jane", "x");
        assertThatThrownBy(() -> new CompanionRow("history; drop table outbox_event", COLUMNS, values))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("history; drop table outbox_event");
        assertThatThrownBy(() -> new CompanionRow("companion_history", List.of("aggregate_id", "at", "actor", "Note"), values))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Note");
        assertThatThrownBy(() -> new CompanionRow("companion_history", COLUMNS, values.subList(0, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("4 columns but 3 values");
        assertThatThrownBy(() -> new CompanionRow("companion_history", List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new CompanionRow("companion_history", COLUMNS, values).insertSql())
                .isEqualTo("insert into companion_history (aggregate_id, at, actor, note) values (?, ?, ?, ?)");
    }

    private static List<UUID> outboxIds() throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id from outbox_event order by seq")) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    private static long count(String table) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The connection, noting the SQL of every statement prepared on it. */
    private static Connection counting(Connection connection, List<String> statements) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().startsWith("prepare") || method.getName().equals("createStatement")) {
                        statements.add(args == null ? method.getName() : String.valueOf(args[0]));
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
