package io.itsm.events.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.flywaydb.core.Flyway;

import io.itsm.events.Aggregate;
import io.itsm.events.CloudEvent;
import io.itsm.events.KafkaCloudEvents;
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
                Instant.now(), null);
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

    /** Reads every record of the topic from the beginning until {@code atLeast} arrived or the timeout. */
    static List<CloudEvent> readTopic(String topic, int atLeast, Duration timeout) {
        Properties props = new Properties();
        props.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        List<CloudEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (events.size() < atLeast && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    CloudEvent e = KafkaCloudEvents.fromRecord(r.headers(), r.value());
                    if (!r.key().equals(e.subject())) {
                        throw new AssertionError("record key " + r.key() + " is not the subject " + e.subject());
                    }
                    events.add(e);
                }
            }
        }
        return events;
    }

    static String uniqueTopicPrefix() {
        return UUID.randomUUID().toString();
    }
}
