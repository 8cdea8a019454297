package io.itsm.events.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
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

import io.itsm.events.Aggregate;
import io.itsm.events.outbox.OutboxEntry;

/** The outbox writer on a real PostgreSQL: an entry alone, and an entry with a companion row written by the same statement. */
class PostgresOutboxWriterTest {

    private static final List<String> COLUMNS = List.of("aggregate_id", "at", "actor", "note");

    private static final TableInsert HISTORY = new TableInsert("companion_history", COLUMNS);

    private static DataSource ds;

    @BeforeAll
    static void database() throws SQLException {
        ds = OutboxFixture.migratedDatabase("outbox_writer_test");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("create sequence if not exists created_number_seq start with 42;"
                    + " create table if not exists created_aggregate (id uuid primary key, name varchar(20) not null,"
                    + " number varchar(10) not null unique default 'AGG' || lpad(nextval('created_number_seq')::text, 7, '0'));"
                    + " create table if not exists companion_history (id bigserial primary key, aggregate_id uuid not null,"
                    + " at timestamptz not null, actor varchar(20) not null, note text);"
                    + " create table if not exists created_link (aggregate_id uuid not null references created_aggregate (id),"
                    + " target uuid not null, primary key (aggregate_id, target))");
        }
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("delete from outbox_event; delete from companion_history; delete from created_link; delete from created_aggregate");
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
                    List.of(HISTORY.row(Arrays.asList(aggregate, at, "jane", null))));
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
            CompanionRow tooLong = HISTORY.row(Arrays.asList(UUID.randomUUID(), Instant.now(), "an actor name longer than twenty", "x"));
            assertThatThrownBy(() -> PostgresOutboxWriter.append(c, entry, List.of(tooLong))).isInstanceOf(SQLException.class);
        }
        assertThat(outboxIds()).isEmpty();
        assertThat(count("companion_history")).isZero();
    }

    @Test
    void aNewAggregateItsCompanionsAndItsEventAreWrittenByOneStatementThatFillsInTheGeneratedNumber() throws Exception {
        UUID aggregate = UUID.randomUUID();
        UUID target1 = UUID.randomUUID();
        UUID target2 = UUID.randomUUID();
        NewAggregateRow row = created(aggregate, "db-01");
        String data = "{\"incident\":{\"id\":\"" + aggregate + "\",\"number\":\"" + row.placeholder() + "\",\"n\":3},\"changes\":[]}";
        OutboxEntry entry = entry(aggregate, data);
        List<String> statements = new ArrayList<>();
        String number;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            number = PostgresOutboxWriter.appendCreated(counting(c, statements), entry, row, List.of(
                    link(aggregate, target1), link(aggregate, target2),
                    HISTORY.row(Arrays.asList(aggregate, Instant.now(), "jane", "created"))));
            c.commit();
        }

        assertThat(statements).hasSize(1);
        assertThat(number).matches("AGG\\d{7}");
        assertThat(query("select number from created_aggregate where id = '" + aggregate + "'")).containsExactly(number);
        assertThat(query("select target::text from created_link")).containsExactlyInAnyOrder(target1.toString(), target2.toString());
        assertThat(query("select note from companion_history")).containsExactly("created");
        assertThat(outboxIds()).containsExactly(entry.id());
        // the payload exactly as it was written, the number in the placeholder's place
        assertThat(query("select payload::text from outbox_event")).containsExactly(data.replace(row.placeholder(), number));
        assertThat(query("select aggregateid || ' ' || type || ' ' || requestid || ' ' || source || ' ' || (occurred_at is not null)"
                + " from outbox_event")).containsExactly(aggregate + " " + entry.type() + " req-created " + entry.source() + " true");
    }

    @Test
    void whenAnyRowOfANewAggregateCannotBeWrittenNoneIs() throws SQLException {
        UUID aggregate = UUID.randomUUID();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            NewAggregateRow row = created(aggregate, "db-01");
            List<CompanionRow> companions = List.of(link(aggregate, UUID.randomUUID()),
                    HISTORY.row(Arrays.asList(aggregate, Instant.now(), "an actor name longer than twenty", "x")));
            assertThatThrownBy(() -> PostgresOutboxWriter.appendCreated(c, entry(aggregate, "{\"n\":\"" + row.placeholder() + "\"}"), row, companions))
                    .isInstanceOf(SQLException.class);
            NewAggregateRow tooLong = created(aggregate, "a name longer than twenty");
            assertThatThrownBy(() -> PostgresOutboxWriter.appendCreated(c, entry(aggregate, "{\"n\":\"" + tooLong.placeholder() + "\"}"), tooLong, List.of()))
                    .isInstanceOf(SQLException.class);
        }
        assertThat(outboxIds()).isEmpty();
        assertThat(count("created_aggregate") + count("created_link") + count("companion_history")).isZero();
    }

    @Test
    void theEventMustCarryThePlaceholderExactlyOnce() throws SQLException {
        UUID aggregate = UUID.randomUUID();
        NewAggregateRow row = created(aggregate, "db-01");
        try (Connection c = ds.getConnection()) {
            assertThatThrownBy(() -> PostgresOutboxWriter.appendCreated(c, entry(aggregate, "{\"number\":null}"), row, List.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly once");
            String twice = "{\"a\":\"" + row.placeholder() + "\",\"b\":\"" + row.placeholder() + "\"}";
            assertThatThrownBy(() -> PostgresOutboxWriter.appendCreated(c, entry(aggregate, twice), row, List.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly once");
        }
        assertThat(count("created_aggregate")).isZero();
    }

    @Test
    void aNewAggregateRowLeavesItsGeneratedColumnToTheDatabase() {
        CompanionRow row = new TableInsert("created_aggregate", List.of("id", "name")).row(List.of(UUID.randomUUID(), "x"));
        assertThatThrownBy(() -> new NewAggregateRow(row, "name")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not write it");
        assertThatThrownBy(() -> new NewAggregateRow(row, "Number")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NewAggregateRow(row, "number", "short")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NewAggregateRow(row, "number", "\",\"injected\":\"0123456789012345678901234567890"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new NewAggregateRow(row, "number").placeholder()).startsWith("generated-number-")
                .isNotEqualTo(new NewAggregateRow(row, "number").placeholder());
    }

    private static NewAggregateRow created(UUID id, String name) {
        return new NewAggregateRow(new TableInsert("created_aggregate", List.of("id", "name")).row(List.of(id, name)), "number");
    }

    private static OutboxEntry entry(UUID aggregate, String data) {
        return OutboxEntry.of(Aggregate.INCIDENT, aggregate.toString(), "created", data.getBytes(StandardCharsets.UTF_8),
                Instant.now(), null, "req-created");
    }

    private static CompanionRow link(UUID aggregate, UUID target) {
        return new TableInsert("created_link", List.of("aggregate_id", "target")).row(List.of(aggregate, target));
    }

    private static List<String> query(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
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
        assertThatThrownBy(() -> new TableInsert("history; drop table outbox_event", COLUMNS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("history; drop table outbox_event");
        assertThatThrownBy(() -> new TableInsert("companion_history", List.of("aggregate_id", "at", "actor", "Note")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Note");
        assertThatThrownBy(() -> HISTORY.row(values.subList(0, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("4 columns but 3 values");
        assertThatThrownBy(() -> new TableInsert("companion_history", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(HISTORY.row(values).insertSql())
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
