package io.itsm.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.test.TestKitNodes;

import io.itsm.events.CloudEvent;
import io.itsm.events.KafkaCloudEvents;

/**
 * A real Apache Kafka broker (KRaft, combined broker and controller) inside the test JVM on a random port.
 * One per JVM: every test class of a module shares it, which keeps a module's test run to one start (~2 s).
 */
public final class TestKafka {

    private static KafkaClusterTestKit cluster;

    private TestKafka() {
    }

    /** Starts the broker once per JVM and returns its bootstrap servers. */
    public static synchronized String start() {
        if (cluster == null) {
            try {
                cluster = startCluster("itsm-test-kafka", SecurityProtocol.PLAINTEXT);
            } catch (Exception e) {
                throw new IllegalStateException("could not start the test Kafka broker", e);
            }
        }
        return cluster.bootstrapServers();
    }

    /**
     * A one-node cluster whose listeners take the given protocol, in a temp directory named after {@code name}, stopped
     * and deleted when the JVM exits; with {@code SASL_PLAINTEXT} Kafka's test kit adds PLAIN users and an ACL
     * authorizer that lets nobody do anything without an ACL (see {@link SaslTestKafka}).
     */
    static KafkaClusterTestKit startCluster(String name, SecurityProtocol protocol) throws Exception {
        // A broker that meets a fault while the JVM shuts down halts it with status 1, which surefire
        // reports as a failed fork although every test passed: in a test JVM, never exit or halt.
        Exit.setExitProcedure((status, message) -> { });
        Exit.setHaltProcedure((status, message) -> { });
        // Our own directory: Kafka's default temp directory is deleted by a shutdown hook of its own,
        // which can race the broker's shutdown and take its log directory away from under it.
        Path baseDirectory = Files.createTempDirectory(name + "-");
        KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setBaseDirectory(baseDirectory)
                .setBrokerSecurityProtocol(protocol)
                // the controller listener too: with SASL on, an anonymous controller may not register
                .setControllerSecurityProtocol(protocol)
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                // The defaults (replication factor 3) make consumer groups and transactions hang on one broker.
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "3")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "true")
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(kit, baseDirectory), name + "-stop"));
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        return kit;
    }

    public static String bootstrapServers() {
        return start();
    }

    /** Creates the topics that do not exist yet. */
    public static void createTopics(List<String> topics, int partitions) {
        createTopics(admin(), topics, partitions);
    }

    /** Creates the topics that do not exist yet, with the given admin client, which it closes. */
    static void createTopics(Admin client, List<String> topics, int partitions) {
        try (Admin admin = client) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, (short) 1)).toList();
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not create topics " + topics, e);
        }
    }

    /** Every record of the topic from the beginning, waiting until {@code atLeast} arrived or the timeout passed. */
    public static List<ConsumerRecord<String, byte[]>> records(String topic, int atLeast, Duration timeout) {
        return records(bootstrapServers(), topic, r -> true, atLeast, timeout);
    }

    /**
     * The topic's records from the beginning that pass the filter, waiting until {@code atLeast} of them arrived
     * or the timeout passed; from any broker, e.g. the local stack's.
     */
    public static List<ConsumerRecord<String, byte[]>> records(String bootstrapServers, String topic,
            Predicate<ConsumerRecord<String, byte[]>> filter, int atLeast, Duration timeout) {
        return records(bootstrapServers, Map.of(), topic, filter, atLeast, timeout);
    }

    /** The same, with more client settings (e.g. a secured connection's). */
    public static List<ConsumerRecord<String, byte[]>> records(String bootstrapServers, Map<String, ?> settings,
            String topic, Predicate<ConsumerRecord<String, byte[]>> filter, int atLeast, Duration timeout) {
        return fromBeginning(bootstrapServers, settings, topic, (consumer, partitions) -> {
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < atLeast && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                    if (filter.test(r)) {
                        records.add(r);
                    }
                });
            }
            return records;
        });
    }

    /** Every record the topic holds now, from the beginning up to its current end. */
    public static List<ConsumerRecord<String, byte[]>> recordsUpToNow(String bootstrapServers, String topic) {
        return fromBeginning(bootstrapServers, Map.of(), topic, (consumer, partitions) -> {
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records;
        });
    }

    /** The CloudEvents of the topic whose key passes the filter; each record's key must be its subject. */
    public static List<CloudEvent> events(String topic, Predicate<String> keyFilter, int atLeast, Duration timeout) {
        return records(bootstrapServers(), topic, r -> keyFilter.test(r.key()), atLeast, timeout).stream().map(r -> {
            CloudEvent event = KafkaCloudEvents.fromRecord(r.headers(), r.value());
            if (!r.key().equals(event.subject())) {
                throw new AssertionError("record key " + r.key() + " is not the subject " + event.subject());
            }
            return event;
        }).toList();
    }

    private static <T> T fromBeginning(String bootstrapServers, Map<String, ?> settings, String topic,
            BiFunction<KafkaConsumer<String, byte[]>, List<TopicPartition>, T> read) {
        Properties props = new Properties();
        props.putAll(settings);
        props.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return read.apply(consumer, partitions);
        }
    }

    /** Sends records and waits until the broker acknowledged each. */
    public static void send(List<ProducerRecord<String, byte[]>> records) {
        send(bootstrapServers(), records);
    }

    /** Sends records to any broker and waits until it acknowledged each. */
    public static void send(String bootstrapServers, List<ProducerRecord<String, byte[]>> records) {
        send(bootstrapServers, Map.of(), records);
    }

    /** The same, with more client settings (e.g. a secured connection's). */
    public static void send(String bootstrapServers, Map<String, ?> settings, List<ProducerRecord<String, byte[]>> records) {
        Properties props = new Properties();
        props.putAll(settings);
        props.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<String, byte[]> record : records) {
                producer.send(record).get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not send test records", e);
        }
    }

    public static Admin admin() {
        return admin(bootstrapServers(), Map.of());
    }

    static Admin admin(String bootstrapServers, Map<String, ?> settings) {
        Properties props = new Properties();
        props.putAll(settings);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(props);
    }

    /** Stops a cluster of {@link #startCluster} and deletes its directory; the JVM is exiting. */
    private static void stopQuietly(KafkaClusterTestKit kit, Path directory) {
        if (kit != null) {
            try {
                kit.close();
            } catch (Exception ignored) {
                // the JVM is exiting
            }
        }
        if (directory != null) {
            try (Stream<Path> paths = Files.walk(directory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException ignored) {
                // best effort: a temp directory
            }
        }
    }
}
