package io.itsm.events.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import io.itsm.events.Aggregate;
import io.itsm.events.CloudEvent;
import io.itsm.events.outbox.OutboxEntry;
import io.itsm.testsupport.TestKafka;
import io.itsm.testsupport.TestPostgres;

/** A migrated database and a topic reader shared by the PostgreSQL events tests. */
final class OutboxFixture {

    private OutboxFixture() {
    }

    static DataSource migratedDatabase(String name) throws SQLException {
        TestPostgres.createDatabase(name);
        DataSource ds = TestPostgres.dataSource(name);
        Flyway.configure().dataSource(ds).locations("classpath:db/events").cleanDisabled(false).load().migrate();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("delete from outbox_event; delete from inbox_event");
        }
        return ds;
    }

    static OutboxEntry entry(String aggregateId, int n) {
        String json = "{\"incident\":{\"id\":\"" + aggregateId + "\",\"n\":" + n + "},\"changes\":[]}";
        return OutboxEntry.of(Aggregate.INCIDENT, aggregateId, "updated", json.getBytes(StandardCharsets.UTF_8),
                Instant.now(), "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "req-" + n);
    }

    /** Writes the entries in one committed transaction, as a service does with its state change. */
    static void write(DataSource ds, List<OutboxEntry> entries) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            for (OutboxEntry e : entries) {
                PostgresOutboxWriter.append(c, e);
            }
            c.commit();
        }
    }

    /** Reads the topic's events from the beginning until {@code atLeast} arrived or the timeout passed. */
    static List<CloudEvent> readTopic(String topic, int atLeast, Duration timeout) {
        return TestKafka.events(topic, key -> true, atLeast, timeout);
    }

}
