package io.itsm.events.mongodb;

import static io.itsm.events.mongodb.MongoFixture.byAggregate;
import static io.itsm.events.mongodb.MongoFixture.byAggregateOfEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Updates;

import io.itsm.events.CloudEvent;
import io.itsm.events.Topics;
import io.itsm.events.outbox.KafkaOutboxPublisher;
import io.itsm.events.outbox.OutboxEntry;
import io.itsm.events.outbox.OutboxPublisher;
import io.itsm.events.outbox.OutboxRelay;
import io.itsm.testsupport.TestKafka;

/**
 * Documents inserted in bulk with their events kept beside them ({@link BulkOutbox}), relayed by {@link MongoOutboxStore}
 * against the test MongoDB store and a real Kafka broker: every event of an inserted document is published once, none of
 * a refused one; a document's later events wait for its creation; a batch abandoned by its writer is resolved by which
 * documents exist, and a writer that was only stalled writes the events of what it inserted after that again; a relay
 * that dies after publishing a batch does not publish it again.
 */
class BulkOutboxTest {

    private static final String CIS = "ci";

    private MongoDatabase db;
    private KafkaOutboxPublisher kafka;
    private final MongoOutboxRelayTest.MutableClock clock = new MongoOutboxRelayTest.MutableClock();

    @BeforeAll
    static void topic() {
        TestKafka.createTopics(List.of(Topics.CMDB_EVENTS), 3);
    }

    @BeforeEach
    void freshDatabase() {
        db = MongoFixture.freshDatabase("bulk_outbox");
        kafka = new KafkaOutboxPublisher(TestKafka.bootstrapServers(), Duration.ofSeconds(10), Map.of());
    }

    @AfterEach
    void closePublisher() {
        kafka.close();
        db.drop();
    }

    @Test
    void theDocumentsAreInsertedWithoutEventsAndTheEventsOfEveryBatchPublishedOnceThenTheBatchesDeleted() throws Exception {
        List<String> ids = MongoFixture.ids(1_200);
        List<OutboxEntry> events = created(ids);
        Set<Integer> refused = BulkOutbox.insert(db, CIS, ids, events, this::insertDocuments, clock);

        assertThat(refused).isEmpty();
        assertThat(db.getCollection(CIS).countDocuments()).isEqualTo(1_200);
        assertThat(db.getCollection(CIS).countDocuments(Filters.exists(MongoOutbox.FIELD))).isZero();
        List<Document> batches = db.getCollection(BulkOutbox.COLLECTION).find().into(new ArrayList<>());
        assertThat(batches).extracting(b -> b.getList(MongoOutbox.FIELD, Document.class).size()).containsExactlyInAnyOrder(500, 500, 200);
        assertThat(batches).extracting(b -> b.getString(BulkOutbox.STATE)).containsOnly(BulkOutbox.READY);
        MongoOutboxStore store = store();
        assertThat(store.pending()).isEqualTo(1_200);

        assertThat(new OutboxRelay("bulk", store, kafka, MongoOutboxRelayTest.settings(500)).drain()).isEqualTo(1_200);
        assertThat(store.pending()).isZero();
        assertThat(db.getCollection(BulkOutbox.COLLECTION).countDocuments()).isZero();
        List<CloudEvent> published = MongoFixture.readTopic(Topics.CMDB_EVENTS, Set.copyOf(ids), 1_200, Duration.ofSeconds(60));
        assertThat(published).extracting(CloudEvent::id).hasSize(1_200)
                .containsExactlyInAnyOrderElementsOf(events.stream().map(OutboxEntry::id).toList());
    }

    @Test
    void theEventsOfDocumentsTheInsertRefusedAreDropped() throws Exception {
        List<String> ids = MongoFixture.ids(10);
        db.getCollection(CIS).insertMany(List.of(new Document("_id", ids.get(2)), new Document("_id", ids.get(7)))); // there already
        List<OutboxEntry> events = created(ids);

        Set<Integer> refused = BulkOutbox.insert(db, CIS, ids, events, this::insertDocuments, clock);

        assertThat(refused).containsExactlyInAnyOrder(2, 7);
        MongoOutboxStore store = store();
        assertThat(store.pending()).isEqualTo(8);
        assertThat(store.relay(100, kafka)).isEqualTo(8);
        Set<String> inserted = new HashSet<>(ids);
        inserted.removeAll(Set.of(ids.get(2), ids.get(7)));
        assertThat(MongoFixture.readTopic(Topics.CMDB_EVENTS, Set.copyOf(ids), 9, Duration.ofSeconds(5)))
                .extracting(CloudEvent::subject).containsExactlyInAnyOrderElementsOf(inserted);
    }

    @Test
    void aLaterEventOfABulkInsertedDocumentWaitsUntilItsCreationIsPublished() throws Exception {
        List<String> ids = MongoFixture.ids(3);
        List<OutboxEntry> events = created(ids);
        OutboxEntry update = MongoFixture.entry(ids.get(1), 1);
        MongoOutboxStore store = store();
        List<Integer> passesWhileWriting = new ArrayList<>();
        BulkOutbox.insert(db, CIS, ids, events, (from, to) -> {
            Set<Integer> refused = insertDocuments(from, to);
            // the service changes one of them at once (its event inside the document, hinted), and the relay runs
            // before the bulk writer marked its batch ready
            db.getCollection(CIS).updateOne(Filters.eq("_id", ids.get(1)), Updates.combine(Updates.inc("version", 1), MongoOutbox.push(update)));
            MongoOutbox.hint(db, CIS, List.of(ids.get(1)));
            passesWhileWriting.add(store.relay(100, kafka));
            return refused;
        }, clock);

        assertThat(passesWhileWriting).containsExactly(0);
        assertThat(db.getCollection(CIS).find(Filters.eq("_id", ids.get(1))).first().getList(MongoOutbox.FIELD, Document.class))
                .as("held back, with its hint").hasSize(1);
        assertThat(store.relay(100, kafka)).as("the batch; the update still waits for it to be gone").isEqualTo(3);
        assertThat(store.relay(100, kafka)).as("then the update").isEqualTo(1);
        assertThat(store.pending()).isZero();

        List<OutboxEntry> all = new ArrayList<>(events);
        all.add(update);
        List<CloudEvent> published = MongoFixture.readTopic(Topics.CMDB_EVENTS, Set.copyOf(ids), 4, Duration.ofSeconds(30));
        assertThat(byAggregateOfEvents(published)).isEqualTo(byAggregate(all));
    }

    @Test
    void aBatchItsWriterAbandonedIsPublishedForTheDocumentsThatExistOnceItIsOldEnough() throws Exception {
        List<String> ids = MongoFixture.ids(6);
        List<OutboxEntry> events = created(ids);
        assertThatThrownBy(() -> BulkOutbox.insert(db, CIS, ids, events, (from, to) -> {
            insertDocuments(0, 4);                              // four landed, then the writer "died"
            throw new IllegalStateException("process killed");
        }, clock)).hasMessageContaining("process killed");
        // one of the four that landed is changed at once: its event waits for its creation
        OutboxEntry update = MongoFixture.entry(ids.get(0), 1);
        db.getCollection(CIS).updateOne(Filters.eq("_id", ids.get(0)), Updates.combine(Updates.inc("version", 1), MongoOutbox.push(update)));
        MongoOutbox.hint(db, CIS, List.of(ids.get(0)));
        MongoOutboxStore store = store();

        assertThat(store.relay(100, kafka)).as("its writer may still be writing").isZero();
        clock.advance(Duration.ofMinutes(4));
        assertThat(store.relay(100, kafka)).isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThat(store.relay(100, kafka)).as("the creations of the four that exist").isEqualTo(4);
        assertThat(store.relay(100, kafka)).as("then the update").isEqualTo(1);
        assertThat(store.pending()).isZero();
        assertThat(db.getCollection(BulkOutbox.COLLECTION).countDocuments()).isZero();

        List<OutboxEntry> expected = new ArrayList<>(events.subList(0, 4));
        expected.add(update);
        List<CloudEvent> published = MongoFixture.readTopic(Topics.CMDB_EVENTS, Set.copyOf(ids), 6, Duration.ofSeconds(5));
        assertThat(byAggregateOfEvents(published)).isEqualTo(byAggregate(expected));
    }

    @Test
    void aWriterThatStalledPastTheRecoveryWritesTheEventsOfWhatItInsertedAgain() throws Exception {
        List<String> ids = MongoFixture.ids(6);
        List<OutboxEntry> events = created(ids);
        MongoOutboxStore store = store();
        List<Integer> recovered = new ArrayList<>();
        Set<Integer> refused = BulkOutbox.insert(db, CIS, ids, events, (from, to) -> {
            Set<Integer> first = insertDocuments(0, 2);
            clock.advance(Duration.ofMinutes(6));              // the writer stalls; a relay takes its batch for abandoned
            recovered.add(store.relay(100, kafka));
            Set<Integer> rest = insertDocuments(2, 6);           // then it goes on
            Set<Integer> all = new HashSet<>(first);
            all.addAll(rest);
            return all;
        }, clock);

        assertThat(refused).isEmpty();
        assertThat(recovered).as("the recovery published the two that existed").containsExactly(2);
        assertThat(store.pending()).as("every inserted document has its creation event again").isEqualTo(6);
        assertThat(store.relay(100, kafka)).isEqualTo(6);
        assertThat(store.pending()).isZero();
        List<CloudEvent> published = MongoFixture.readTopic(Topics.CMDB_EVENTS, Set.copyOf(ids), 8, Duration.ofSeconds(30));
        assertThat(published).extracting(CloudEvent::id).as("two of them twice, with the same id")
                .hasSize(8).containsOnlyElementsOf(events.stream().map(OutboxEntry::id).toList())
                .containsAll(events.stream().map(OutboxEntry::id).toList());
    }

    @Test
    void aRelayThatDiesAfterPublishingABatchLeavesItToTheNextWhichDoesNotPublishItAgain() throws Exception {
        List<String> ids = MongoFixture.ids(20);
        List<OutboxEntry> events = created(ids);
        BulkOutbox.insert(db, CIS, ids, events, this::insertDocuments, clock);
        MongoOutboxStore store = store();
        OutboxPublisher dying = entries -> {
            kafka.publish(entries);
            throw new IllegalStateException("process killed");
        };
        assertThatThrownBy(() -> store.relay(100, dying)).hasMessageContaining("process killed");
        assertThat(store.pending()).isEqualTo(20);

        assertThat(store.relay(100, kafka)).as("all found on Kafka, pulled, none sent").isZero();
        assertThat(store.pending()).isZero();
        assertThat(db.getCollection(BulkOutbox.COLLECTION).countDocuments()).isZero();
        List<CloudEvent> published = MongoFixture.readTopic(Topics.CMDB_EVENTS, Set.copyOf(ids), 21, Duration.ofSeconds(5));
        assertThat(published).extracting(CloudEvent::id).containsExactlyInAnyOrderElementsOf(events.stream().map(OutboxEntry::id).toList());
    }

    @Test
    void documentsAndEventsMustPair() {
        List<String> ids = MongoFixture.ids(2);
        assertThatThrownBy(() -> BulkOutbox.insert(db, CIS, ids, created(ids.subList(0, 1)), this::insertDocuments, clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(db.getCollection(BulkOutbox.COLLECTION).countDocuments()).isZero();
    }

    private List<String> currentIds;

    private List<OutboxEntry> created(List<String> ids) {
        currentIds = ids;
        return ids.stream().map(id -> MongoFixture.entry(id, 0)).collect(Collectors.toList());
    }

    /** The caller's insert: the documents at these positions, without events, unordered; duplicates refused. */
    private Set<Integer> insertDocuments(int from, int to) {
        MongoCollection<Document> cis = db.getCollection(CIS);
        List<Document> documents = new ArrayList<>();
        for (int i = from; i < to; i++) {
            documents.add(new Document("_id", currentIds.get(i)).append("version", 0));
        }
        Set<Integer> refused = new HashSet<>();
        try {
            cis.insertMany(documents, new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            e.getWriteErrors().forEach(error -> refused.add(from + error.getIndex()));
        }
        return refused;
    }

    private MongoOutboxStore store() {
        return new MongoOutboxStore(db, List.of(CIS), Duration.ofSeconds(30), clock, Duration.ofDays(1), Duration.ofMinutes(5));
    }
}
