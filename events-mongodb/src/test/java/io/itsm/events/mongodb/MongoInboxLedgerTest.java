package io.itsm.events.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import io.itsm.events.CloudEvent;
import io.itsm.events.MalformedEventException;
import io.itsm.events.inbox.EventProcessingException;
import io.itsm.events.inbox.IdempotentConsumer;
import io.itsm.events.inbox.IdempotentConsumer.Outcome;
import io.itsm.events.mongodb.MongoInboxLedger.Result;

/**
 * The MongoDB inbox on the test MongoDB store: a single-document effect and its event record are one
 * update, so it is applied once however often the event comes; multi-document effects use the
 * {@code inbox_event} ledger, whose claim is withdrawn when the effect fails and taken over when abandoned.
 */
class MongoInboxLedgerTest {

    private MongoDatabase db;
    private MongoCollection<Document> counters;

    @BeforeEach
    void freshDatabase() {
        db = MongoFixture.freshDatabase("inbox");
        counters = db.getCollection("incident_counter");
    }

    @AfterEach
    void drop() {
        db.drop();
    }

    // ---- single-document effects ----

    @Test
    void aSingleDocumentEffectIsAppliedOnceAndEveryRedeliveryIsReported() {
        counters.insertOne(new Document("_id", "ci-1").append("openIncidents", 0));
        CloudEvent event = event("/itsm/incident-service");

        assertThat(MongoInboxLedger.applyOnce(counters, Filters.eq("_id", "ci-1"), Updates.inc("openIncidents", 1), event))
                .isEqualTo(Result.APPLIED);
        assertThat(MongoInboxLedger.applyOnce(counters, Filters.eq("_id", "ci-1"), Updates.inc("openIncidents", 1), event))
                .isEqualTo(Result.ALREADY_APPLIED);
        assertThat(MongoInboxLedger.applyOnce(counters, Filters.eq("_id", "ci-1"), Updates.inc("openIncidents", 1), event))
                .isEqualTo(Result.ALREADY_APPLIED);

        Document doc = counters.find(Filters.eq("_id", "ci-1")).first();
        assertThat(doc.getInteger("openIncidents")).isEqualTo(1);
        assertThat(doc.getList(MongoInboxLedger.APPLIED_EVENTS, String.class)).containsExactly(MongoInboxLedger.key(event));
    }

    @Test
    void theRawFragmentsMatchNothingForAnAppliedEvent() {
        counters.insertOne(new Document("_id", "ci-2").append("n", 0));
        CloudEvent event = event("/itsm/change-service");
        var filter = Filters.and(Filters.eq("_id", "ci-2"), MongoInboxLedger.notApplied(event));
        var update = Updates.combine(Updates.inc("n", 1), MongoInboxLedger.recordApplied(event));
        assertThat(counters.updateOne(filter, update).getMatchedCount()).isEqualTo(1);
        assertThat(counters.updateOne(filter, update).getMatchedCount()).as("0 matched = already applied").isZero();
        assertThat(counters.find(Filters.eq("_id", "ci-2")).first().getInteger("n")).isEqualTo(1);
    }

    @Test
    void theSameIdFromAnotherSourceIsAnotherEvent() {
        counters.insertOne(new Document("_id", "ci-3").append("n", 0));
        CloudEvent event = event("/itsm/incident-service");
        CloudEvent twin = new CloudEvent(event.id(), URI.create("/itsm/change-service"), event.type(), event.subject(),
                event.time(), null, event.data(), Map.of());
        MongoInboxLedger.applyOnce(counters, Filters.eq("_id", "ci-3"), Updates.inc("n", 1), event);
        assertThat(MongoInboxLedger.applyOnce(counters, Filters.eq("_id", "ci-3"), Updates.inc("n", 1), twin))
                .isEqualTo(Result.APPLIED);
        assertThat(counters.find(Filters.eq("_id", "ci-3")).first().getInteger("n")).isEqualTo(2);
    }

    @Test
    void aMissingDocumentIsNotMistakenForARedelivery() {
        assertThat(MongoInboxLedger.applyOnce(counters, Filters.eq("_id", "nope"), Updates.inc("n", 1), event("/itsm/x")))
                .isEqualTo(Result.NOT_FOUND);
        assertThat(counters.countDocuments()).isZero();
    }

    @Test
    void anUpsertingEffectCreatesTheDocumentOnceAndReportsTheRedelivery() {
        CloudEvent event = event("/itsm/incident-service");
        assertThat(MongoInboxLedger.upsertOnce(counters, "ci-4", Updates.inc("n", 1), event)).isEqualTo(Result.APPLIED);
        assertThat(MongoInboxLedger.upsertOnce(counters, "ci-4", Updates.inc("n", 1), event)).isEqualTo(Result.ALREADY_APPLIED);
        assertThat(MongoInboxLedger.upsertOnce(counters, "ci-4", Updates.inc("n", 1), event("/itsm/incident-service")))
                .isEqualTo(Result.APPLIED);
        assertThat(counters.countDocuments()).isEqualTo(1);
        assertThat(counters.find(Filters.eq("_id", "ci-4")).first().getInteger("n")).isEqualTo(2);
    }

    @Test
    void aDocumentRemembersOnlyTheLatestEvents() {
        counters.insertOne(new Document("_id", "ci-5").append("n", 0));
        for (int i = 0; i < MongoInboxLedger.REMEMBERED + 20; i++) {
            MongoInboxLedger.applyOnce(counters, Filters.eq("_id", "ci-5"), Updates.inc("n", 1), event("/itsm/x"));
        }
        Document doc = counters.find(Filters.eq("_id", "ci-5")).first();
        assertThat(doc.getInteger("n")).isEqualTo(MongoInboxLedger.REMEMBERED + 20);
        assertThat(doc.getList(MongoInboxLedger.APPLIED_EVENTS, String.class)).hasSize(MongoInboxLedger.REMEMBERED);
    }

    // ---- multi-document effects through the inbox_event ledger ----

    @Test
    void theLedgerAppliesAMultiDocumentEffectOnceAndSkipsRedeliveries() {
        IdempotentConsumer consumer = new MongoInboxLedger(db).consumer(fastRetries());
        CloudEvent event = event("/itsm/change-service");
        assertThat(consumer.consume("t", event, this::linkBothSides)).isEqualTo(Outcome.APPLIED);
        assertThat(consumer.consume("t", event, this::linkBothSides)).isEqualTo(Outcome.DUPLICATE);
        assertThat(consumer.consume("t", event, this::linkBothSides)).isEqualTo(Outcome.DUPLICATE);

        assertThat(db.getCollection("links").countDocuments()).isEqualTo(2);
        Document record = db.getCollection(MongoInboxLedger.COLLECTION).find().first();
        assertThat(record.getString("_id")).isEqualTo(MongoInboxLedger.key(event));
        assertThat(record.getString("state")).isEqualTo("done");
        assertThat(consumer.duplicateCount()).isEqualTo(2);
    }

    @Test
    void aFailedEffectWithdrawsItsClaimSoTheRetryAppliesIt() {
        IdempotentConsumer consumer = new MongoInboxLedger(db).consumer(fastRetries());
        AtomicInteger attempts = new AtomicInteger();
        Outcome outcome = consumer.consume("t", event("/itsm/change-service"), e -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("connection reset");
            }
            linkBothSides(e);
        });
        assertThat(outcome).isEqualTo(Outcome.APPLIED);
        assertThat(attempts).hasValue(3);
        assertThat(db.getCollection(MongoInboxLedger.COLLECTION).countDocuments(Filters.eq("state", "done"))).isEqualTo(1);
    }

    @Test
    void anEffectThatKeepsFailingLeavesNoRecordAndIsHandedBackForTheDeadLetterTopic() {
        IdempotentConsumer consumer = new MongoInboxLedger(db).consumer(fastRetries());
        assertThatThrownBy(() -> consumer.consume("t", event("/itsm/x"), e -> {
            throw new IllegalStateException("database down");
        })).isInstanceOf(EventProcessingException.class).hasMessageContaining("after 3 attempts");
        assertThat(db.getCollection(MongoInboxLedger.COLLECTION).countDocuments()).isZero();

        assertThatThrownBy(() -> consumer.consume("t", event("/itsm/x"), e -> {
            throw new MalformedEventException("data.ci.id is missing");
        })).isInstanceOf(MalformedEventException.class);
        assertThat(db.getCollection(MongoInboxLedger.COLLECTION).countDocuments()).isZero();
    }

    @Test
    void aClaimAbandonedByACrashIsTakenOverAfterTheTimeoutOnly() throws Exception {
        MongoOutboxRelayTest.MutableClock clock = new MongoOutboxRelayTest.MutableClock();
        MongoInboxLedger ledger = new MongoInboxLedger(db, Duration.ofMinutes(5), clock);
        CloudEvent event = event("/itsm/x");
        // A consumer claimed the event and died before its effect completed (no runner to clean up).
        assertThat(ledger.recordFirstDelivery("t", event)).isTrue();
        assertThat(ledger.recordFirstDelivery("t", event)).as("still being processed").isFalse();
        clock.advance(Duration.ofMinutes(6));
        IdempotentConsumer consumer = ledger.consumer(fastRetries());
        assertThat(consumer.consume("t", event, this::linkBothSides)).isEqualTo(Outcome.APPLIED);
        assertThat(consumer.consume("t", event, this::linkBothSides)).isEqualTo(Outcome.DUPLICATE);
        clock.advance(Duration.ofMinutes(60));
        assertThat(ledger.recordFirstDelivery("t", event)).as("a completed record is never taken over").isFalse();
    }

    /** An idempotent two-document effect: upserts keyed by the event. */
    private void linkBothSides(CloudEvent event) {
        MongoCollection<Document> links = db.getCollection("links");
        for (String side : List.of("a", "b")) {
            links.updateOne(Filters.eq("_id", event.id() + "-" + side), Updates.set("event", event.id().toString()),
                    new UpdateOptions().upsert(true));
        }
    }

    private static IdempotentConsumer.RetryPolicy fastRetries() {
        return new IdempotentConsumer.RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20));
    }

    private static CloudEvent event(String source) {
        return new CloudEvent(UUID.randomUUID(), URI.create(source), "itsm.change.state-changed",
                UUID.randomUUID().toString(), Instant.now(), null, "{}".getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
