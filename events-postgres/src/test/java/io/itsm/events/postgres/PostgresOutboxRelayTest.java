package io.itsm.events.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.itsm.events.Aggregate;
import io.itsm.events.CloudEvent;
import io.itsm.events.Topics;
import io.itsm.events.outbox.KafkaOutboxPublisher;
import io.itsm.events.outbox.OutboxEntry;
import io.itsm.events.outbox.OutboxPublisher;
import io.itsm.events.outbox.OutboxRelay;
import io.itsm.events.outbox.OutboxStore;
import io.itsm.testsupport.CountingPublisher;
import io.itsm.testsupport.TestKafka;

import static org.awaitility.Awaitility.await;

/**
 * The PostgreSQL outbox against a real PostgreSQL and a real Kafka broker: everything committed is
 * published in per-aggregate order, nothing is lost when the relay dies mid-batch or the broker is
 * unreachable, and two relays never publish out of order.
 */
class PostgresOutboxRelayTest {

    private static DataSource ds;
    private KafkaOutboxPublisher kafka;

    @BeforeAll
    static void database() throws SQLException {
        ds = OutboxFixture.migratedDatabase("outbox_relay_test");
        TestKafka.createTopics(List.of(Topics.INCIDENT_EVENTS), 3);
    }

    @BeforeEach
    void emptyTopicAndOutbox() throws Exception {
        try (Admin admin = TestKafka.admin()) {
            // start each test from an empty topic: delete and recreate it
            if (admin.listTopics().names().get().contains(Topics.INCIDENT_EVENTS)) {
                admin.deleteTopics(List.of(Topics.INCIDENT_EVENTS)).all().get();
                await().atMost(30, TimeUnit.SECONDS).until(() -> !admin.listTopics().names().get().contains(Topics.INCIDENT_EVENTS));
            }
        }
        TestKafka.createTopics(List.of(Topics.INCIDENT_EVENTS), 3);
        try (Connection c = ds.getConnection()) {
            c.createStatement().execute("delete from outbox_event");
            c.createStatement().execute("delete from outbox_relay_state");
        }
        kafka = new KafkaOutboxPublisher(TestKafka.bootstrapServers(), Duration.ofSeconds(10), Map.of());
    }

    @org.junit.jupiter.api.AfterEach
    void closePublisher() {
        kafka.close();
    }

    @Test
    void publishesEveryCommittedEventAsACloudEventInPerAggregateOrder() throws Exception {
        List<OutboxEntry> written = interleaved(8, 25);
        OutboxFixture.write(ds, written);
        OutboxRelay relay = new OutboxRelay("test", new PostgresOutboxStore(ds), kafka, settings(50));

        assertThat(relay.drain()).isEqualTo(written.size());

        List<CloudEvent> published = OutboxFixture.readTopic(Topics.INCIDENT_EVENTS, written.size(), Duration.ofSeconds(30));
        assertThat(published).hasSize(written.size());
        assertThat(byAggregate(idsOf(published, written))).isEqualTo(byAggregate(written));
        CloudEvent first = published.stream().filter(e -> e.id().equals(written.get(0).id())).findFirst().orElseThrow();
        assertThat(first.source()).isEqualTo(Aggregate.INCIDENT.source());
        assertThat(first.type()).isEqualTo("itsm.incident.updated");
        assertThat(first.subject()).isEqualTo(written.get(0).aggregateId());
        assertThat(first.dataschema()).isEqualTo(Aggregate.INCIDENT.dataschema());
        assertThat(first.dataAsString()).contains("\"n\":0").contains(written.get(0).aggregateId());
        assertThat(first.extensions()).containsEntry("traceparent", written.get(0).traceparent())
                .containsEntry("requestid", written.get(0).requestId());
        assertThat(new PostgresOutboxStore(ds).pending()).isZero();
    }

    @Test
    void eventsKafkaWroteButDidNotAcknowledgeInTimeAreNotPublishedAgain() throws Exception {
        List<OutboxEntry> written = interleaved(5, 20);
        OutboxFixture.write(ds, written);
        PostgresOutboxStore store = new PostgresOutboxStore(ds);
        // The broker appends the whole batch, but the acknowledgements of two aggregates time out (seen in a CI run just
        // after the topic was created): the pass deletes only what was acknowledged.
        Set<String> lateAcks = Set.of(written.get(0).aggregateId(), written.get(1).aggregateId());
        OutboxPublisher late = entries -> {
            kafka.publish(entries);
            return entries.stream().filter(e -> !lateAcks.contains(e.aggregateId())).map(OutboxEntry::id)
                    .collect(Collectors.toSet());
        };
        assertThat(store.relay(100, late)).isEqualTo(60);
        assertThat(store.pending()).isEqualTo(40);

        // The next pass asks Kafka first: the 40 are there, so it deletes them instead of publishing them a second time.
        assertThat(new OutboxRelay("next", store, kafka, settings(100)).drain()).isZero();
        assertThat(store.pending()).isZero();
        List<CloudEvent> published = OutboxFixture.readTopic(Topics.INCIDENT_EVENTS, written.size() + 1, Duration.ofSeconds(5));
        assertThat(published).hasSize(written.size());
        assertThat(byAggregate(idsOf(published, written))).isEqualTo(byAggregate(written));
    }

    @Test
    void aRelayThatDiesAfterKafkaAcknowledgedPartOfABatchLosesNothingAndTheNextOnePublishesOnlyTheRestInOrder() throws Exception {
        List<OutboxEntry> written = interleaved(5, 20);
        OutboxFixture.write(ds, written);
        PostgresOutboxStore store = new PostgresOutboxStore(ds);
        // The first relay sends 30 events, then its process "dies" before it could delete anything.
        OutboxPublisher dying = entries -> {
            kafka.publish(entries.subList(0, 30));
            throw new IllegalStateException("process killed");
        };
        assertThatThrownBy(() -> new OutboxRelay("dying", store, dying, settings(100)).drain())
                .hasMessageContaining("process killed");
        assertThat(store.pending()).isEqualTo(written.size());

        PostgresOutboxStore restarted = new PostgresOutboxStore(ds);
        assertThat(new OutboxRelay("restarted", restarted, kafka, settings(100)).drain()).isEqualTo(written.size() - 30);

        List<CloudEvent> published = OutboxFixture.readTopic(Topics.INCIDENT_EVENTS, written.size(), Duration.ofSeconds(30));
        // Exactly once per event id, in per-aggregate order: the 30 the dead relay published were deleted, not sent again.
        assertThat(published).hasSize(written.size());
        assertThat(byAggregate(idsOf(published, written))).isEqualTo(byAggregate(written));
        assertThat(restarted.pending()).isZero();
    }

    @Test
    void passesThatEndNormallyNeverAskKafkaWhatIsPublishedAndOneAfterACrashDoes() throws Exception {
        CountingPublisher counting = new CountingPublisher(kafka);
        List<OutboxEntry> first = interleaved(3, 4);
        OutboxFixture.write(ds, first);
        assertThat(new OutboxRelay("one", new PostgresOutboxStore(ds), counting, settings(5)).drain()).isEqualTo(first.size());
        List<OutboxEntry> second = interleaved(2, 3);
        OutboxFixture.write(ds, second);
        assertThat(new OutboxRelay("another replica", new PostgresOutboxStore(ds), counting, settings(5)).drain()).isEqualTo(second.size());
        assertThat(counting.asked()).isZero();

        List<OutboxEntry> third = interleaved(2, 3);
        OutboxFixture.write(ds, third);
        OutboxPublisher dying = entries -> {
            kafka.publish(entries);
            throw new IllegalStateException("process killed");
        };
        assertThatThrownBy(() -> new OutboxRelay("dying", new PostgresOutboxStore(ds), dying, settings(100)).drain())
                .hasMessageContaining("process killed");
        assertThat(new OutboxRelay("restarted", new PostgresOutboxStore(ds), counting, settings(100)).drain()).isZero();
        assertThat(counting.asked()).isEqualTo(1);
        assertThat(new PostgresOutboxStore(ds).pending()).isZero();
    }

    @Test
    void anUnreachableBrokerKeepsEventsInTheOutboxUntilItIsBack() throws Exception {
        List<OutboxEntry> written = interleaved(3, 10);
        OutboxFixture.write(ds, written);
        PostgresOutboxStore store = new PostgresOutboxStore(ds);
        try (KafkaOutboxPublisher nowhere = new KafkaOutboxPublisher("127.0.0.1:" + freePort(), Duration.ofSeconds(2), Map.of())) {
            OutboxRelay relay = new OutboxRelay("outage", store, nowhere, settings(100));
            relay.start();
            await().atMost(30, TimeUnit.SECONDS).until(() -> relay.status().consecutiveFailures() >= 2);
            relay.stop(Duration.ofSeconds(10));
            assertThat(relay.status().published()).isZero();
            assertThat(relay.status().lastError()).isNotBlank();
        }
        assertThat(store.pending()).isEqualTo(written.size());

        OutboxRelay recovered = new OutboxRelay("recovered", store, kafka, settings(100));
        recovered.start();
        await().atMost(30, TimeUnit.SECONDS).until(() -> store.pending() == 0);
        recovered.stop(Duration.ofSeconds(10));
        List<CloudEvent> published = OutboxFixture.readTopic(Topics.INCIDENT_EVENTS, written.size(), Duration.ofSeconds(30));
        assertThat(byAggregate(idsOf(published, written))).isEqualTo(byAggregate(written));
    }

    @Test
    void theRelaysOwnThreadBuildsItsPublisherAndBuildsItAgainAfterAFailedBuild() throws Exception {
        List<OutboxEntry> written = interleaved(2, 5);
        OutboxFixture.write(ds, written);
        PostgresOutboxStore store = new PostgresOutboxStore(ds);
        List<String> builtOn = new CopyOnWriteArrayList<>();
        OutboxRelay relay = new OutboxRelay("lazy", store, () -> {
            builtOn.add(Thread.currentThread().getName());
            if (builtOn.size() < 3) {
                throw new KafkaException("no resolvable bootstrap urls (build " + builtOn.size() + ")");
            }
            return kafka;
        }, settings(100));
        assertThat(builtOn).as("nothing built by the constructor").isEmpty();
        relay.start();
        await().atMost(30, TimeUnit.SECONDS).until(() -> store.pending() == 0);
        relay.stop(Duration.ofSeconds(10));

        assertThat(builtOn).as("built by the relay's thread, once more after each failed build, then kept")
                .containsExactly("outbox-relay-lazy", "outbox-relay-lazy", "outbox-relay-lazy");
        assertThat(relay.status().failures()).isEqualTo(2);
        assertThat(relay.status().published()).isEqualTo(written.size());
        List<CloudEvent> published = OutboxFixture.readTopic(Topics.INCIDENT_EVENTS, written.size(), Duration.ofSeconds(30));
        assertThat(byAggregate(idsOf(published, written))).isEqualTo(byAggregate(written));
    }

    @Test
    void twoRelaysOnOneOutboxNeverPublishOutOfOrderOrTwice() throws Exception {
        PostgresOutboxStore store = new PostgresOutboxStore(ds);
        OutboxRelay a = new OutboxRelay("a", store, kafka, new OutboxRelay.Settings(7, Duration.ofMillis(5),
                Duration.ofMillis(10), Duration.ofMillis(50)));
        OutboxRelay b = new OutboxRelay("b", store, kafka, new OutboxRelay.Settings(7, Duration.ofMillis(5),
                Duration.ofMillis(10), Duration.ofMillis(50)));
        a.start();
        b.start();
        List<OutboxEntry> written = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            List<OutboxEntry> batch = interleaved(4, 3);
            OutboxFixture.write(ds, batch);
            written.addAll(batch);
        }
        await().atMost(60, TimeUnit.SECONDS).until(() -> store.pending() == 0);
        a.stop(Duration.ofSeconds(10));
        b.stop(Duration.ofSeconds(10));

        List<CloudEvent> published = OutboxFixture.readTopic(Topics.INCIDENT_EVENTS, written.size() + 1, Duration.ofSeconds(5));
        assertThat(published).hasSize(written.size());
        assertThat(byAggregate(idsOf(published, written))).isEqualTo(byAggregate(written));
    }

    @Test
    void aFullBatchIsFollowedByAnotherPassAtOnceAndAPartOneWaitsForAWakeUpOrThePollInterval() throws Exception {
        PostgresOutboxStore real = new PostgresOutboxStore(ds);
        List<Integer> passes = new CopyOnWriteArrayList<>();
        List<OutboxEntry> late = interleaved(1, 1);
        OutboxRelay[] relay = new OutboxRelay[1];
        OutboxStore counting = new OutboxStore() {
            @Override
            public int relay(int maxEntries, OutboxPublisher publisher) throws Exception {
                int delivered = real.relay(maxEntries, publisher);
                passes.add(delivered);
                if (passes.size() == 4) {
                    // committed after this pass read the outbox: its wake-up must bring on another pass at once
                    OutboxFixture.write(ds, late);
                    relay[0].wakeUp();
                }
                return delivered;
            }

            @Override
            public long pending() throws Exception {
                return real.pending();
            }
        };
        List<OutboxEntry> written = interleaved(3, 4);
        OutboxFixture.write(ds, written);
        relay[0] = new OutboxRelay("batches", counting, kafka, new OutboxRelay.Settings(5, Duration.ofSeconds(30),
                Duration.ofMillis(20), Duration.ofMillis(200)));
        relay[0].start();
        try {
            await().atMost(30, TimeUnit.SECONDS).until(() -> passes.size() >= 3);
            // and no fourth pass for a while after the part batch
            await().during(300, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> passes.size() == 3);
            assertThat(passes).as("5 and 5 at once, then 2: no read of the empty outbox after it").containsExactly(5, 5, 2);

            OutboxFixture.write(ds, interleaved(1, 1));
            relay[0].wakeUp();
            await().atMost(10, TimeUnit.SECONDS).until(() -> passes.size() >= 5);
            assertThat(passes.subList(3, 5)).as("the wake-up's entry, then the late one's, long before the poll interval")
                    .containsExactly(1, 1);
            assertThat(real.pending()).isZero();
        } finally {
            relay[0].stop(Duration.ofSeconds(10));
        }
    }

    @Test
    void anEventOfARolledBackTransactionIsNeverPublished() throws Exception {
        OutboxEntry rolledBack = OutboxFixture.entry(UUID.randomUUID().toString(), 1);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            PostgresOutboxWriter.append(c, rolledBack);
            c.rollback();
        }
        OutboxEntry committed = OutboxFixture.entry(UUID.randomUUID().toString(), 2);
        OutboxFixture.write(ds, List.of(committed));

        assertThat(new OutboxRelay("t", new PostgresOutboxStore(ds), kafka, settings(10)).drain()).isEqualTo(1);
        List<CloudEvent> published = OutboxFixture.readTopic(Topics.INCIDENT_EVENTS, 2, Duration.ofSeconds(3));
        assertThat(published).extracting(CloudEvent::id).containsExactly(committed.id());
    }

    private static OutboxRelay.Settings settings(int batch) {
        return new OutboxRelay.Settings(batch, Duration.ofMillis(20), Duration.ofMillis(20), Duration.ofMillis(200));
    }

    /** {@code eventsEach} events for each of {@code aggregates} aggregates, written round-robin. */
    private static List<OutboxEntry> interleaved(int aggregates, int eventsEach) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < aggregates; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        List<OutboxEntry> entries = new ArrayList<>();
        for (int n = 0; n < eventsEach; n++) {
            for (String id : ids) {
                entries.add(OutboxFixture.entry(id, n));
            }
        }
        return entries;
    }

    private static Map<String, List<UUID>> byAggregate(List<OutboxEntry> entries) {
        Map<String, List<UUID>> order = new LinkedHashMap<>();
        entries.forEach(e -> order.computeIfAbsent(e.aggregateId(), k -> new ArrayList<>()).add(e.id()));
        return order;
    }

    /** The published events as the written entries with those ids, in published order. */
    private static List<OutboxEntry> idsOf(List<CloudEvent> published, List<OutboxEntry> written) {
        Map<UUID, OutboxEntry> byId = written.stream().collect(Collectors.toMap(OutboxEntry::id, e -> e));
        return published.stream().map(e -> byId.get(e.id())).toList();
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

}
