package io.itsm.events.mongodb;

import static io.itsm.events.mongodb.MongoFixture.byAggregate;
import static io.itsm.events.mongodb.MongoFixture.byAggregateOfEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import io.itsm.events.Aggregate;
import io.itsm.events.CloudEvent;
import io.itsm.events.Topics;
import io.itsm.events.outbox.KafkaOutboxPublisher;
import io.itsm.events.outbox.OutboxEntry;
import io.itsm.events.outbox.OutboxPublisher;
import io.itsm.events.outbox.OutboxRelay;
import io.itsm.testsupport.CountingPublisher;
import io.itsm.testsupport.TestKafka;

/**
 * The MongoDB outbox against the test MongoDB store (the MongoDB-wire server, or a real MongoDB via
 * ITSM_TEST_MONGODB_URI) and a real Kafka broker: events written inside aggregate documents are published
 * in per-aggregate order and pulled; nothing is lost when the relay dies mid-batch or the broker is
 * unreachable; the lease lets one of two relays publish at a time, so a quiet run publishes each event once.
 */
class MongoOutboxRelayTest {

    private static final String CIS = "ci";
    private static final String RELATIONSHIPS = "relationship";

    private MongoDatabase db;
    private KafkaOutboxPublisher kafka;

    @BeforeAll
    static void topic() {
        TestKafka.createTopics(List.of(Topics.CMDB_EVENTS), 3);
    }

    @BeforeEach
    void freshDatabase() {
        db = MongoFixture.freshDatabase("outbox_relay");
        kafka = new KafkaOutboxPublisher(TestKafka.bootstrapServers(), Duration.ofSeconds(10), Map.of());
    }

    @AfterEach
    void closePublisher() {
        kafka.close();
        db.drop();
    }

    @Test
    void publishesEventsKeptInTheDocumentsAsCloudEventsInPerAggregateOrderAndPullsThem() throws Exception {
        List<OutboxEntry> written = new ArrayList<>(writeInterleaved(CIS, 6, 10));
        written.addAll(writeInterleaved(RELATIONSHIPS, 2, 5));
        MongoOutboxStore store = new MongoOutboxStore(db, List.of(CIS, RELATIONSHIPS));
        assertThat(store.pending()).isEqualTo(written.size());

        OutboxRelay relay = new OutboxRelay("test", store, kafka, settings(17));
        assertThat(relay.drain()).isEqualTo(written.size());

        List<CloudEvent> published = MongoFixture.readTopic(Topics.CMDB_EVENTS, aggregates(written), written.size(), Duration.ofSeconds(30));
        assertThat(published).hasSize(written.size());
        assertThat(byAggregateOfEvents(published)).isEqualTo(byAggregate(written));

        OutboxEntry firstWritten = written.get(0);
        CloudEvent first = published.stream().filter(e -> e.id().equals(firstWritten.id())).findFirst().orElseThrow();
        assertThat(first.source()).isEqualTo(Aggregate.CI.source());
        assertThat(first.type()).isEqualTo("itsm.ci.updated");
        assertThat(first.subject()).isEqualTo(firstWritten.aggregateId());
        assertThat(first.time()).isEqualTo(firstWritten.time());
        assertThat(first.dataschema()).isEqualTo(Aggregate.CI.dataschema());
        assertThat(first.extensions()).containsEntry("traceparent", firstWritten.traceparent())
                .containsEntry("requestid", firstWritten.requestId());
        assertThat(first.data()).isEqualTo(firstWritten.payload());
        assertThat(first.dataAsString()).contains("Zürich – Straße ✓").contains("  \"n\": 0");

        assertThat(store.pending()).isZero();
        for (String name : List.of(CIS, RELATIONSHIPS)) {
            for (Document d : db.getCollection(name).find()) {
                assertThat(d.getList(MongoOutbox.FIELD, Document.class)).as("outbox of %s", d.get("_id")).isEmpty();
                assertThat(d.getInteger("version")).isPositive(); // the state the events describe is untouched
            }
        }
    }

    @Test
    void aRelayThatDiesAfterKafkaAcknowledgedPartOfABatchLosesNothingAndTheNextOnePublishesOnlyTheRest() throws Exception {
        List<OutboxEntry> written = writeInterleaved(CIS, 5, 8);
        MongoOutboxStore store = new MongoOutboxStore(db, List.of(CIS));
        // The first relay sends 15 events, then its process "dies" before it could pull anything.
        OutboxPublisher dying = entries -> {
            kafka.publish(entries.subList(0, 15));
            throw new IllegalStateException("process killed");
        };
        assertThatThrownBy(() -> new OutboxRelay("dying", store, dying, settings(100)).drain())
                .hasMessageContaining("process killed");
        assertThat(store.pending()).isEqualTo(written.size());

        MongoOutboxStore restarted = new MongoOutboxStore(db, List.of(CIS), Duration.ofSeconds(30), Clock.systemUTC());
        store.close(); // the dead process's lease is gone (released here; in reality it expires)
        assertThat(new OutboxRelay("restarted", restarted, kafka, settings(100)).drain()).isEqualTo(written.size() - 15);

        List<CloudEvent> published = MongoFixture.readTopic(Topics.CMDB_EVENTS, aggregates(written), written.size(), Duration.ofSeconds(30));
        // Exactly once per event id, in per-aggregate order: the 15 the dead relay published were pulled, not sent again.
        assertThat(published).hasSize(written.size());
        assertThat(byAggregateOfEvents(published)).isEqualTo(byAggregate(written));
        assertThat(restarted.pending()).isZero();
    }

    @Test
    void eventsKafkaWroteButDidNotAcknowledgeInTimeAreNotPublishedAgain() throws Exception {
        List<OutboxEntry> written = writeInterleaved(CIS, 5, 8);
        MongoOutboxStore store = new MongoOutboxStore(db, List.of(CIS));
        // The broker appends the whole batch, but the acknowledgements of two aggregates time out: the pass pulls only
        // what was acknowledged.
        Set<String> lateAcks = Set.of(written.get(0).aggregateId(), written.get(1).aggregateId());
        OutboxPublisher late = entries -> {
            kafka.publish(entries);
            return entries.stream().filter(e -> !lateAcks.contains(e.aggregateId())).map(OutboxEntry::id).collect(Collectors.toSet());
        };
        assertThat(store.relay(100, late)).isEqualTo(24);
        assertThat(store.pending()).isEqualTo(16);

        // The next pass asks Kafka first: the 16 are there, so it pulls them instead of publishing them a second time.
        assertThat(new OutboxRelay("next", store, kafka, settings(100)).drain()).isZero();
        assertThat(store.pending()).isZero();
        List<CloudEvent> published = MongoFixture.readTopic(Topics.CMDB_EVENTS, aggregates(written), written.size() + 1, Duration.ofSeconds(5));
        assertThat(published).hasSize(written.size());
        assertThat(byAggregateOfEvents(published)).isEqualTo(byAggregate(written));
    }

    @Test
    void passesThatEndNormallyNeverAskKafkaWhatIsPublishedAndOneAfterACrashDoes() throws Exception {
        CountingPublisher counting = new CountingPublisher(kafka);
        List<OutboxEntry> first = writeInterleaved(CIS, 3, 4);
        MongoOutboxStore store = new MongoOutboxStore(db, List.of(CIS));
        assertThat(new OutboxRelay("one", store, counting, settings(5)).drain()).isEqualTo(first.size());
        assertThat(counting.asked()).isZero();

        List<OutboxEntry> second = writeInterleaved(CIS, 2, 3);
        OutboxPublisher dying = entries -> {
            kafka.publish(entries);
            throw new IllegalStateException("process killed");
        };
        assertThatThrownBy(() -> new OutboxRelay("dying", store, dying, settings(100)).drain()).hasMessageContaining("process killed");
        assertThat(new OutboxRelay("restarted", store, counting, settings(100)).drain()).isZero();
        assertThat(counting.asked()).isEqualTo(1);
        assertThat(store.pending()).isZero();
        assertThat(MongoFixture.readTopic(Topics.CMDB_EVENTS, aggregates(second), second.size(), Duration.ofSeconds(30))).hasSize(second.size());
    }

    @Test
    void anEventThatFailsKeepsItAndEverythingAfterItOfItsAggregateInTheDocument() throws Exception {
        List<OutboxEntry> written = writeInterleaved(CIS, 3, 4);
        MongoOutboxStore store = new MongoOutboxStore(db, List.of(CIS));
        String unlucky = written.get(0).aggregateId();
        // Kafka acknowledges everything but the second event of one aggregate (and, as the publisher
        // contract says, then reports nothing after it for that aggregate).
        OutboxPublisher partial = entries -> {
            List<OutboxEntry> unluckyEntries = entries.stream().filter(e -> e.aggregateId().equals(unlucky)).toList();
            Set<UUID> lost = unluckyEntries.subList(1, unluckyEntries.size()).stream().map(OutboxEntry::id).collect(Collectors.toSet());
            List<OutboxEntry> sent = entries.stream().filter(e -> !lost.contains(e.id())).toList();
            return kafka.publish(sent);
        };
        assertThat(store.relay(100, partial)).isEqualTo(written.size() - 3);
        Document left = db.getCollection(CIS).find(Filters.eq("_id", unlucky)).first();
        assertThat(left.getList(MongoOutbox.FIELD, Document.class)).extracting(d -> d.getString("id"))
                .containsExactlyElementsOf(written.stream().filter(e -> e.aggregateId().equals(unlucky)).skip(1)
                        .map(e -> e.id().toString()).toList());
        assertThat(store.pending()).isEqualTo(3);

        assertThat(store.relay(100, kafka)).isEqualTo(3);
        List<CloudEvent> published = MongoFixture.readTopic(Topics.CMDB_EVENTS, aggregates(written), written.size(), Duration.ofSeconds(30));
        assertThat(byAggregateOfEvents(published)).isEqualTo(byAggregate(written));
    }

    @Test
    void anEventAddedToTheDocumentWhileItsBatchIsBeingPublishedStaysForTheNextPass() throws Exception {
        MongoCollection<Document> cis = db.getCollection(CIS);
        String id = UUID.randomUUID().toString();
        OutboxEntry first = MongoFixture.entry(id, 0);
        cis.insertOne(MongoOutbox.addTo(new Document("_id", id).append("version", 0), List.of(first)));
        OutboxEntry second = MongoFixture.entry(id, 1);
        MongoOutboxStore store = new MongoOutboxStore(db, List.of(CIS));
        OutboxPublisher racing = entries -> {
            // the service changes the aggregate while the relay waits for Kafka
            cis.updateOne(Filters.eq("_id", id), Updates.combine(Updates.inc("version", 1), MongoOutbox.push(second)));
            return kafka.publish(entries);
        };

        assertThat(store.relay(100, racing)).isEqualTo(1);
        assertThat(cis.find(Filters.eq("_id", id)).first().getList(MongoOutbox.FIELD, Document.class))
                .extracting(d -> d.getString("id")).containsExactly(second.id().toString());
        assertThat(store.relay(100, kafka)).isEqualTo(1);
        assertThat(store.pending()).isZero();
        assertThat(MongoFixture.readTopic(Topics.CMDB_EVENTS, Set.of(id), 2, Duration.ofSeconds(30)))
                .extracting(CloudEvent::id).containsExactly(first.id(), second.id());
    }

    @Test
    void anUnreachableBrokerKeepsTheEventsInTheDocumentsUntilItIsBack() throws Exception {
        List<OutboxEntry> written = writeInterleaved(CIS, 3, 5);
        MongoOutboxStore store = new MongoOutboxStore(db, List.of(CIS));
        try (KafkaOutboxPublisher nowhere = new KafkaOutboxPublisher("127.0.0.1:" + MongoFixture.freePort(), Duration.ofSeconds(2), Map.of())) {
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
        List<CloudEvent> published = MongoFixture.readTopic(Topics.CMDB_EVENTS, aggregates(written), written.size(), Duration.ofSeconds(30));
        assertThat(byAggregateOfEvents(published)).isEqualTo(byAggregate(written));
    }

    @Test
    void twoRelaysShareOneLeaseSoAQuietRunPublishesEveryEventOnceAndInOrder() throws Exception {
        MongoOutboxStore storeA = new MongoOutboxStore(db, List.of(CIS, RELATIONSHIPS));
        MongoOutboxStore storeB = new MongoOutboxStore(db, List.of(CIS, RELATIONSHIPS));
        OutboxRelay.Settings fast = new OutboxRelay.Settings(7, Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50));
        OutboxRelay a = new OutboxRelay("a", storeA, kafka, fast);
        OutboxRelay b = new OutboxRelay("b", storeB, kafka, fast);
        a.start();
        b.start();
        List<OutboxEntry> written = new ArrayList<>();
        for (int round = 0; round < 15; round++) {
            written.addAll(writeInterleaved(round % 2 == 0 ? CIS : RELATIONSHIPS, 3, 3));
        }
        await().atMost(60, TimeUnit.SECONDS).until(() -> storeA.pending() == 0);
        a.stop(Duration.ofSeconds(10));
        b.stop(Duration.ofSeconds(10));

        List<CloudEvent> published = MongoFixture.readTopic(Topics.CMDB_EVENTS, aggregates(written), written.size() + 1, Duration.ofSeconds(5));
        assertThat(published).hasSize(written.size());
        assertThat(byAggregateOfEvents(published)).isEqualTo(byAggregate(written));
        // exactly one of them did the work
        assertThat(List.of(a.status().published(), b.status().published())).containsExactlyInAnyOrder(0L, (long) written.size());
    }

    @Test
    void theLeaseGoesToAnotherRelayOnlyWhenReleasedOrExpired() {
        MutableClock clock = new MutableClock();
        MongoOutboxStore a = new MongoOutboxStore(db, List.of(CIS), Duration.ofSeconds(30), clock);
        MongoOutboxStore b = new MongoOutboxStore(db, List.of(CIS), Duration.ofSeconds(30), clock);
        assertThat(a.acquireLease()).isTrue();
        assertThat(b.acquireLease()).isFalse();
        clock.advance(Duration.ofSeconds(20));
        assertThat(a.acquireLease()).as("renewed").isTrue();
        clock.advance(Duration.ofSeconds(20));
        assertThat(b.acquireLease()).as("the renewal counts from the renewal").isFalse();
        clock.advance(Duration.ofSeconds(11));
        assertThat(b.acquireLease()).as("expired").isTrue();
        assertThat(a.acquireLease()).isFalse();
        b.releaseLease();
        assertThat(a.acquireLease()).as("released").isTrue();
        assertThat(db.getCollection(MongoOutboxStore.LEASE_COLLECTION).find().first().getString("owner")).isEqualTo(a.owner());
    }

    @Test
    void aRelayWithoutTheLeasePublishesNothing() throws Exception {
        writeInterleaved(CIS, 2, 2);
        MongoOutboxStore holder = new MongoOutboxStore(db, List.of(CIS));
        MongoOutboxStore other = new MongoOutboxStore(db, List.of(CIS));
        assertThat(holder.acquireLease()).isTrue();
        assertThat(other.relay(100, entries -> {
            throw new AssertionError("must not publish without the lease");
        })).isZero();
        assertThat(other.pending()).isEqualTo(4);
    }

    @Test
    void aMalformedElementHoldsBackOnlyItsAggregate() throws Exception {
        List<OutboxEntry> written = writeInterleaved(CIS, 2, 2);
        String broken = UUID.randomUUID().toString();
        db.getCollection(CIS).insertOne(new Document("_id", broken).append("version", 0)
                .append(MongoOutbox.FIELD, List.of(new Document("id", "not-a-uuid"))));
        MongoOutboxStore store = new MongoOutboxStore(db, List.of(CIS));
        assertThat(store.relay(100, kafka)).isEqualTo(written.size());
        assertThat(store.pending()).isEqualTo(1);
    }

    @Test
    void withHintsAPassReadsOnlyTheHintedDocumentsAndASweepFindsTheRest() throws Exception {
        MutableClock clock = new MutableClock();
        MongoOutboxStore store = new MongoOutboxStore(db, List.of(CIS, RELATIONSHIPS), Duration.ofSeconds(30), clock, Duration.ofMinutes(5));
        OutboxRelay relay = new OutboxRelay("test", store, kafka, settings(50));
        assertThat(relay.drain()).isZero(); // the first pass sweeps (nothing yet)

        List<String> hinted = MongoFixture.ids(3);
        List<OutboxEntry> written = new ArrayList<>();
        for (String id : hinted) {                                      // as a writer does: the documents with their events ...
            OutboxEntry entry = MongoFixture.entry(id, 0);
            db.getCollection(CIS).insertOne(MongoOutbox.addTo(new Document("_id", id).append("version", 1), List.of(entry)));
            written.add(entry);
        }
        MongoOutbox.hint(db, CIS, hinted);                              // ... then their hints
        String unhinted = UUID.randomUUID().toString();                 // a writer that crashed before its hint
        OutboxEntry late = MongoFixture.entry(unhinted, 0);
        db.getCollection(RELATIONSHIPS).insertOne(MongoOutbox.addTo(new Document("_id", unhinted).append("version", 1), List.of(late)));
        MongoOutbox.hint(db, CIS, List.of(UUID.randomUUID().toString())); // a hint whose write failed

        assertThat(store.pending()).isEqualTo(3);
        assertThat(relay.drain()).isEqualTo(3);
        assertThat(MongoFixture.readTopic(Topics.CMDB_EVENTS, aggregates(written), 3, Duration.ofSeconds(30))).hasSize(3);
        relay.drain(); // the next pass finds the hinted documents empty and drops their hints, and the stale one
        assertThat(db.getCollection(MongoOutbox.HINTS).countDocuments()).isZero();
        assertThat(db.getCollection(RELATIONSHIPS).find(Filters.eq("_id", unhinted)).first().getList(MongoOutbox.FIELD, Document.class)).hasSize(1);

        clock.advance(Duration.ofMinutes(6));                           // the sweep hints it, and the pass publishes it
        assertThat(relay.drain()).isEqualTo(1);
        assertThat(MongoFixture.readTopic(Topics.CMDB_EVENTS, Set.of(unhinted), 1, Duration.ofSeconds(30))).hasSize(1);
        assertThat(db.getCollection(RELATIONSHIPS).find(Filters.eq("_id", unhinted)).first().getList(MongoOutbox.FIELD, Document.class)).isEmpty();
    }

    @Test
    void aSweepHintsEveryDocumentWithPendingEventsNotOnlyOneBatch() throws Exception {
        List<OutboxEntry> written = new ArrayList<>();
        List<Document> documents = new ArrayList<>();
        for (String id : MongoFixture.ids(1_200)) {                     // written without hints: a crash before them
            OutboxEntry entry = MongoFixture.entry(id, 0);
            documents.add(MongoOutbox.addTo(new Document("_id", id).append("version", 1), List.of(entry)));
            written.add(entry);
        }
        db.getCollection(CIS).insertMany(documents);
        MongoOutboxStore store = new MongoOutboxStore(db, List.of(CIS), Duration.ofSeconds(30), Clock.systemUTC(), Duration.ofDays(1));

        assertThat(new OutboxRelay("restarted", store, kafka, settings(500)).drain()).isEqualTo(written.size());
        assertThat(store.pending()).isZero();
        assertThat(db.getCollection(CIS).countDocuments(Filters.exists(MongoOutbox.FIELD + ".id"))).isZero();
        assertThat(MongoFixture.readTopic(Topics.CMDB_EVENTS, aggregates(written), written.size(), Duration.ofSeconds(60))).hasSize(written.size());
    }

    /**
     * A writer adds events in batches while the relay polls, with no sweep to fall back on: every event is published.
     * (With the hint written before the documents, a pass that read a hint before its document existed dropped the hint
     * and left that document's events to the next sweep; the hint is now written after the write.)
     */
    @Test
    void eventsWrittenWhileTheRelayPollsArePublishedWithoutWaitingForASweep() throws Exception {
        MongoOutboxStore store = new MongoOutboxStore(db, List.of(CIS), Duration.ofSeconds(30), Clock.systemUTC(), Duration.ofDays(1));
        OutboxRelay relay = new OutboxRelay("racing", store, kafka, settings(50));
        relay.drain(); // the first pass sweeps (nothing yet); none follows within this test
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicReference<Throwable> relayFailure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread polling = new Thread(() -> {
            try {
                while (writing.get()) {
                    relay.drain();
                }
            } catch (Throwable e) {
                relayFailure.set(e);
            }
        });
        polling.start();
        List<OutboxEntry> written = new ArrayList<>();
        try {
            for (int batch = 0; batch < 40; batch++) {
                List<String> ids = MongoFixture.ids(50);
                List<Document> documents = new ArrayList<>();
                for (String id : ids) {
                    OutboxEntry entry = MongoFixture.entry(id, 0);
                    documents.add(MongoOutbox.addTo(new Document("_id", id).append("version", 1), List.of(entry)));
                    written.add(entry);
                }
                db.getCollection(CIS).insertMany(documents);       // the write with its events ...
                MongoOutbox.hint(db, CIS, ids);                     // ... then the hint, as DocumentOutbox does
            }
        } finally {
            writing.set(false);
            polling.join(30_000);
        }
        assertThat(relayFailure.get()).isNull();
        relay.drain();
        assertThat(db.getCollection(CIS).countDocuments(Filters.exists(MongoOutbox.FIELD + ".id"))).isZero();
        assertThat(MongoFixture.readTopic(Topics.CMDB_EVENTS, aggregates(written), written.size(), Duration.ofSeconds(60)))
                .extracting(CloudEvent::id).containsAll(written.stream().map(OutboxEntry::id).toList());
    }

    @Test
    void elementsRoundTripByteExact() {
        OutboxEntry entry = MongoFixture.entry(UUID.randomUUID().toString(), 7);
        OutboxEntry back = MongoOutbox.toEntry(entry.aggregateId(), MongoOutbox.element(entry));
        assertThat(back).usingRecursiveComparison().isEqualTo(entry);
        assertThat(new String(back.payload(), StandardCharsets.UTF_8)).isEqualTo(new String(entry.payload(), StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code eventsEach} events for each of {@code aggregates} new documents, round-robin, as a
     * service does: the first event in the inserted document, every later one {@code $push}ed in the
     * update that changes the state.
     */
    private List<OutboxEntry> writeInterleaved(String collection, int aggregates, int eventsEach) {
        MongoCollection<Document> docs = db.getCollection(collection);
        List<String> ids = MongoFixture.ids(aggregates);
        List<OutboxEntry> entries = new ArrayList<>();
        for (int n = 0; n < eventsEach; n++) {
            for (String id : ids) {
                OutboxEntry entry = MongoFixture.entry(id, n);
                if (n == 0) {
                    docs.insertOne(MongoOutbox.addTo(new Document("_id", id).append("version", 1), List.of(entry)));
                } else {
                    docs.updateOne(Filters.eq("_id", id), Updates.combine(Updates.inc("version", 1), MongoOutbox.push(entry)));
                }
                entries.add(entry);
            }
        }
        return entries;
    }

    private static Set<String> aggregates(List<OutboxEntry> entries) {
        return entries.stream().map(OutboxEntry::aggregateId).collect(Collectors.toCollection(HashSet::new));
    }

    static OutboxRelay.Settings settings(int batch) {
        return new OutboxRelay.Settings(batch, Duration.ofMillis(20), Duration.ofMillis(20), Duration.ofMillis(200));
    }

    /** A clock the lease test moves by hand. */
    static final class MutableClock extends Clock {
        private java.time.Instant now = java.time.Instant.now();

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }

        @Override
        public long millis() {
            return now.toEpochMilli();
        }
    }
}
