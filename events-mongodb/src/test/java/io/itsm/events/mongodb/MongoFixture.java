package io.itsm.events.mongodb;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;


import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import io.itsm.events.Aggregate;
import io.itsm.events.CloudEvent;
import io.itsm.events.outbox.OutboxEntry;
import io.itsm.testsupport.TestKafka;
import io.itsm.testsupport.TestMongo;

/** A fresh database on the test MongoDB store, events to write, and a reader of the published topic. */
final class MongoFixture {

    private static MongoClient client;

    private MongoFixture() {
    }

    static synchronized MongoClient client() {
        if (client == null) {
            client = MongoClients.create(TestMongo.connectionString());
        }
        return client;
    }

    /** A database of its own for a test, so tests never see each other's documents or lease. */
    static MongoDatabase freshDatabase(String prefix) {
        return client().getDatabase(prefix + "_" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** Event {@code n} of a CI; the payload has odd spacing and non-ASCII text to prove it travels byte-exact. */
    static OutboxEntry entry(String aggregateId, int n) {
        String json = "{\"ci\": {\"id\":\"" + aggregateId + "\",  \"n\": " + n + ", \"name\":\"Zürich – Straße ✓\"},\"changes\":[ ]}";
        return OutboxEntry.of(Aggregate.CI, aggregateId, "updated", json.getBytes(StandardCharsets.UTF_8),
                Instant.now().truncatedTo(ChronoUnit.MILLIS), "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "req-" + n);
    }

    static List<String> ids(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        return ids;
    }

    static Map<String, List<UUID>> byAggregate(List<OutboxEntry> entries) {
        Map<String, List<UUID>> order = new LinkedHashMap<>();
        entries.forEach(e -> order.computeIfAbsent(e.aggregateId(), k -> new ArrayList<>()).add(e.id()));
        return order;
    }

    static Map<String, List<UUID>> byAggregateOfEvents(List<CloudEvent> events) {
        Map<String, List<UUID>> order = new LinkedHashMap<>();
        events.forEach(e -> order.computeIfAbsent(e.subject(), k -> new ArrayList<>()).add(e.id()));
        return order;
    }

    /**
     * Reads the topic from the beginning and keeps the events of the given aggregates (other tests publish to
     * the same topic), until {@code atLeast} of them arrived or the timeout passed.
     */
    static List<CloudEvent> readTopic(String topic, Set<String> aggregateIds, int atLeast, Duration timeout) {
        return TestKafka.events(topic, aggregateIds::contains, atLeast, timeout);
    }

    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
