package io.itsm.localstack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the suite's event topics and their dead-letter topics if they are absent. */
public final class KafkaTopics {

    /** One topic per aggregate (see shared/DESIGN.md). */
    public static final List<String> EVENT_TOPICS = List.of("itsm.incident.events", "itsm.change.events",
            "itsm.cmdb.events");

    public static final int PARTITIONS = 3;

    private KafkaTopics() {
    }

    /** The event topics followed by their {@code .dlq} topics. */
    public static List<String> all() {
        List<String> all = new ArrayList<>(EVENT_TOPICS);
        EVENT_TOPICS.forEach(topic -> all.add(topic + ".dlq"));
        return List.copyOf(all);
    }

    /** Creates the missing topics; returns the names it created. Retries until {@code timeout}. */
    public static List<String> ensure(Properties adminProperties, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = Admin.create(adminProperties)) {
                Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                List<NewTopic> missing = new ArrayList<>();
                for (String topic : all()) {
                    if (!existing.contains(topic)) {
                        missing.add(new NewTopic(topic, PARTITIONS, (short) 1));
                    }
                }
                List<String> created = new ArrayList<>();
                for (var entry : admin.createTopics(missing).values().entrySet()) {
                    try {
                        entry.getValue().get(15, TimeUnit.SECONDS);
                        created.add(entry.getKey());
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
                return created;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalStackException("interrupted while creating Kafka topics");
            } catch (Exception e) {
                last = e;
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new LocalStackException("interrupted while creating Kafka topics");
                }
            }
        }
        throw new LocalStackException("could not create the Kafka topics within " + timeout.toSeconds() + " s: "
                + (last == null ? "timeout" : last), last);
    }
}
