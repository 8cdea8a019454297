package io.itsm.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

/** Starts the infrastructure on random ports, restarts Kafka and the MongoDB-wire store, and checks nothing is left. */
class LocalStackTest {

    private static final String TOPIC = "itsm.incident.events";

    @TempDir
    Path dataDir;

    @Test
    void theMongoDbWireStoreGetsAHeapForALargeCmdbAndItsOptionsFromTheEnvironment() {
        assertEquals(List.of("-Xmx1g", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"),
                LocalStackConfig.fromEnvironment(java.util.Map.of()).build().mongodbOpts());
        assertEquals(List.of("-Xmx2g", "-XX:+UseParallelGC"),
                LocalStackConfig.fromEnvironment(java.util.Map.of("ITSM_MONGODB_OPTS", "-Xmx2g  -XX:+UseParallelGC")).build().mongodbOpts());
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void infrastructureKeepsItsDataAcrossRestartsAndStopsCompletely() throws Exception {
        LocalStackConfig config = infrastructureOnly();
        long kafkaPid;
        long postgresPid;
        Set<Long> postgresProcesses;
        long mongoPid;
        try (LocalStack stack = LocalStack.start(config)) {
            assertEquals(List.of("kafka", "postgres", "mongodb"),
                    stack.components().stream().map(Component::name).collect(Collectors.toList()));
            for (Component component : stack.components()) {
                assertTrue(component.isRunning(), component.name());
                assertTrue(component.pid() > 0, component.name());
                assertTrue(component.rssBytes() > 0, component.name());
                assertTrue(component.startupMillis() > 0, component.name());
            }
            kafkaPid = stack.kafka().pid();
            postgresPid = stack.postgres().pid();
            postgresProcesses = ProcessHandle.of(postgresPid).orElseThrow().descendants().map(ProcessHandle::pid)
                    .collect(Collectors.toCollection(HashSet::new));
            postgresProcesses.add(postgresPid);
            mongoPid = stack.mongo().pid();

            assertTrue(topics(stack).containsAll(KafkaTopics.all()), "the six topics exist");
            produce(stack, "INC-1", "before-restart");
            assertDatabasesExist(stack);
            String mongoId = insertCi(stack);

            stack.kafka().stop();
            assertFalse(stack.kafka().isRunning());
            assertFalse(alive(kafkaPid), "the old Kafka process is gone");
            assertFalse(Ports.accepts(config.kafkaPort()), "nothing listens on Kafka's port");
            stack.kafka().start();
            assertTrue(stack.kafka().isRunning());
            assertNotEquals(kafkaPid, stack.kafka().pid());
            assertEquals("127.0.0.1:" + config.kafkaPort(), stack.kafka().bootstrapServers());
            assertTrue(topics(stack).containsAll(KafkaTopics.all()), "the topics survived the restart");
            assertEquals("before-restart", consumeValue(stack, "INC-1"), "the record survived the restart");
            kafkaPid = stack.kafka().pid();

            stack.mongo().stop();
            assertFalse(alive(mongoPid));
            stack.mongo().start();
            assertEquals(1, countCi(stack, mongoId), "the document survived the restart");
            mongoPid = stack.mongo().pid();
        }
        assertFalse(alive(kafkaPid), "Kafka stopped");
        assertFalse(alive(mongoPid), "the MongoDB-wire store stopped");
        for (long pid : postgresProcesses) {
            assertTrue(goneWithin(pid, Duration.ofSeconds(10)), "PostgreSQL process " + pid + " stopped");
        }
        assertFalse(Files.exists(dataDir.resolve("postgres").resolve("postmaster.pid")));
    }

    /**
     * A crash of a store (SIGKILL to its processes right after the last write was acknowledged) loses none of the writes
     * it acknowledged: each inserted, updated or deleted document, each committed row, is as it was told to the client
     * once the store is started again. The MongoDB-wire store answers a write once it is in its file, PostgreSQL once
     * its commit record left the server's memory.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aCrashOfAStoreLosesNothingItAcknowledged() throws Exception {
        LocalStackConfig config = infrastructureOnly();
        try (LocalStack stack = LocalStack.start(config)) {
            int single = 300;
            int bulk = 500;
            try (MongoClient client = MongoClients.create(stack.mongo().connectionString())) {
                MongoCollection<Document> cis = client.getDatabase("cmdb").getCollection("crash");
                for (int i = 0; i < single; i++) {
                    cis.insertOne(new Document("_id", "single-" + i).append("version", 0));
                }
                cis.insertMany(IntStream.range(0, bulk)
                        .mapToObj(i -> new Document("_id", "bulk-" + i).append("version", 0)).toList());
                for (int i = 0; i < single; i += 2) {
                    cis.updateOne(new Document("_id", "single-" + i), new Document("$inc", new Document("version", 1)));
                }
                cis.deleteOne(new Document("_id", "bulk-0"));
            }
            try (Connection c = DriverManager.getConnection(stack.postgres().jdbcUrl("incident"), PostgresServer.USER,
                    PostgresServer.PASSWORD); Statement s = c.createStatement()) {
                s.execute("create table crash_probe (n int primary key)");
                for (int i = 0; i < single; i++) {
                    s.execute("insert into crash_probe values (" + i + ")"); // each its own transaction (auto-commit)
                }
            }
            long mongoPid = stack.mongo().pid();
            long postmasterPid = stack.postgres().pid();
            stack.mongo().kill();
            stack.postgres().kill();
            assertFalse(alive(mongoPid), "the MongoDB-wire store was killed");
            assertFalse(stack.postgres().isRunning(), "PostgreSQL was killed");
            assertTrue(goneWithin(postmasterPid, Duration.ofSeconds(10)), "the postmaster was killed");
            stack.mongo().start();
            stack.postgres().start();

            try (MongoClient client = MongoClients.create(stack.mongo().connectionString())) {
                MongoCollection<Document> cis = client.getDatabase("cmdb").getCollection("crash");
                assertEquals(single + bulk - 1, cis.countDocuments(), "documents after the crash");
                assertEquals(single / 2, cis.countDocuments(new Document("version", 1)), "updates after the crash");
                assertEquals(0, cis.countDocuments(new Document("_id", "bulk-0")), "the delete after the crash");
                assertEquals(1, cis.countDocuments(new Document("_id", "single-" + (single - 1))), "the last insert");
            }
            try (Connection c = DriverManager.getConnection(stack.postgres().jdbcUrl("incident"), PostgresServer.USER,
                    PostgresServer.PASSWORD); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select count(*), max(n) from crash_probe")) {
                assertTrue(rs.next());
                assertEquals(single, rs.getInt(1), "committed rows after the crash");
                assertEquals(single - 1, rs.getInt(2), "the last committed row");
            }
        }
    }

    /** Kafka, PostgreSQL and the MongoDB-wire store on random ports in this test's directory; no services. */
    private LocalStackConfig infrastructureOnly() {
        return LocalStackConfig.builder()
                .randomPorts()
                .dataDir(dataDir)
                .kafkaLibDir(Path.of("target", "kafka-lib"))
                .services(false)
                .build();
    }

    /** Exited children of the postmaster are reaped by init, which may take a moment. */
    private static boolean goneWithin(long pid, Duration timeout) {
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> !alive(pid));
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static Set<String> topics(LocalStack stack) throws Exception {
        try (Admin admin = Admin.create(stack.kafka().adminProperties())) {
            return admin.listTopics().names().get(20, TimeUnit.SECONDS);
        }
    }

    private static void produce(LocalStack stack, String key, String value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(TOPIC, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static String consumeValue(LocalStack stack, String key) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1),
                    new TopicPartition(TOPIC, 2));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(record.key())) {
                        return record.value();
                    }
                }
            }
        }
        return null;
    }

    private static void assertDatabasesExist(LocalStack stack) throws Exception {
        Set<String> databases = new HashSet<>();
        try (Connection c = DriverManager.getConnection(stack.postgres().jdbcUrl("postgres"), PostgresServer.USER,
                PostgresServer.PASSWORD);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select datname from pg_database")) {
            while (rs.next()) {
                databases.add(rs.getString(1));
            }
        }
        assertTrue(databases.containsAll(PostgresServer.DATABASES), "databases: " + databases);
        try (Connection c = DriverManager.getConnection(stack.postgres().jdbcUrl("incident"), PostgresServer.USER,
                PostgresServer.PASSWORD)) {
            assertTrue(c.isValid(5));
        }
    }

    private static String insertCi(LocalStack stack) {
        try (MongoClient client = MongoClients.create(stack.mongo().connectionString())) {
            MongoCollection<Document> cis = client.getDatabase("cmdb").getCollection("probe");
            String id = "CI0010001";
            cis.insertOne(new Document("_id", id).append("name", "web-01"));
            assertEquals("web-01", cis.find(new Document("_id", id)).first().getString("name"));
            return id;
        }
    }

    private static long countCi(LocalStack stack, String id) {
        try (MongoClient client = MongoClients.create(stack.mongo().connectionString())) {
            return client.getDatabase("cmdb").getCollection("probe").countDocuments(new Document("_id", id));
        }
    }
}
