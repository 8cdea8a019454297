package io.itsm.events.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.itsm.events.CloudEvent;
import io.itsm.events.MalformedEventException;
import io.itsm.events.inbox.BatchEventHandler;
import io.itsm.events.inbox.EventProcessingException;
import io.itsm.events.inbox.InboxLedger;
import io.itsm.events.inbox.IdempotentConsumer;
import io.itsm.events.inbox.IdempotentConsumer.BatchResult;
import io.itsm.events.inbox.IdempotentConsumer.Outcome;
import io.itsm.events.inbox.TransactionRunner;

/**
 * The idempotent consumer on a real PostgreSQL: the inbox record and the effect commit or roll back
 * together, a redelivered event changes nothing, transient failures are retried and poison is not.
 */
class PostgresIdempotentConsumerTest {

    private static DataSource ds;
    private static final ThreadLocal<Connection> CURRENT = new ThreadLocal<>();

    private IdempotentConsumer consumer;
    private final AtomicInteger transactions = new AtomicInteger();

    @BeforeAll
    static void database() throws SQLException {
        ds = OutboxFixture.migratedDatabase("inbox_test");
        try (Connection c = ds.getConnection()) {
            c.createStatement().execute("create table if not exists effect (event_id uuid primary key, note text)");
        }
    }

    @BeforeEach
    void consumer() throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.createStatement().execute("delete from effect; delete from inbox_event");
        }
        TransactionRunner jdbc = new TransactionRunner() {
            @Override
            public <T> T inNewTransaction(Callable<T> work) throws Exception {
                try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    CURRENT.set(c);
                    try {
                        T result = work.call();
                        c.commit();
                        return result;
                    } catch (Exception e) {
                        c.rollback();
                        throw e;
                    } finally {
                        CURRENT.remove();
                    }
                }
            }
        };
        InboxLedger ledger = new InboxLedger() {
            @Override
            public boolean recordFirstDelivery(String topic, CloudEvent event) throws SQLException {
                return PostgresInboxLedger.recordFirstDelivery(CURRENT.get(), topic, event);
            }

            @Override
            public List<CloudEvent> recordFirstDeliveries(String topic, List<CloudEvent> events) throws SQLException {
                return PostgresInboxLedger.recordFirstDeliveries(CURRENT.get(), topic, events);
            }
        };
        consumer = new IdempotentConsumer(counting(jdbc), ledger,
                new IdempotentConsumer.RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20)));
        transactions.set(0);
    }

    @Test
    void appliesAnEventOnceAndSkipsEveryRedelivery() throws Exception {
        CloudEvent event = event();
        assertThat(consumer.consume("t", event, e -> insertEffect(e, "first"))).isEqualTo(Outcome.APPLIED);
        assertThat(consumer.consume("t", event, e -> insertEffect(e, "again"))).isEqualTo(Outcome.DUPLICATE);
        assertThat(consumer.consume("t", event, e -> insertEffect(e, "again"))).isEqualTo(Outcome.DUPLICATE);

        assertThat(effects()).isEqualTo(1);
        assertThat(inboxRows()).isEqualTo(1);
        assertThat(consumer.appliedCount()).isEqualTo(1);
        assertThat(consumer.duplicateCount()).isEqualTo(2);
    }

    @Test
    void theSameIdFromAnotherSourceIsAnotherEvent() throws Exception {
        CloudEvent event = event();
        CloudEvent twin = new CloudEvent(event.id(), URI.create("/itsm/other-service"), event.type(), event.subject(),
                event.time(), null, event.data(), Map.of());
        consumer.consume("t", event, e -> { });
        assertThat(consumer.consume("t", twin, e -> { })).isEqualTo(Outcome.APPLIED);
        assertThat(inboxRows()).isEqualTo(2);
    }

    @Test
    void aFailedEffectLeavesNoInboxRecordSoTheRetryAppliesIt() throws Exception {
        CloudEvent event = event();
        AtomicInteger attempts = new AtomicInteger();
        Outcome outcome = consumer.consume("t", event, e -> {
            insertEffect(e, "attempt " + attempts.incrementAndGet());
            if (attempts.get() < 3) {
                throw new SQLException("connection reset");
            }
        });
        assertThat(outcome).isEqualTo(Outcome.APPLIED);
        assertThat(attempts).hasValue(3);
        assertThat(effects()).isEqualTo(1);
        assertThat(inboxRows()).isEqualTo(1);
    }

    @Test
    void anEffectThatKeepsFailingIsHandedBackForTheDeadLetterTopicAndLeavesNothing() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> consumer.consume("t", event(), e -> {
            attempts.incrementAndGet();
            insertEffect(e, "x");
            throw new SQLException("database down");
        })).isInstanceOf(EventProcessingException.class).hasMessageContaining("after 3 attempts");
        assertThat(attempts).hasValue(3);
        assertThat(effects()).isZero();
        assertThat(inboxRows()).isZero();
        assertThat(consumer.failedCount()).isEqualTo(1);
    }

    @Test
    void aMalformedEventIsNotRetried() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> consumer.consume("t", event(), e -> {
            attempts.incrementAndGet();
            throw new MalformedEventException("data.ci.id is missing");
        })).isInstanceOf(MalformedEventException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aBatchIsAppliedInOneTransactionWithOneLedgerRecordPerEvent() throws Exception {
        List<CloudEvent> batch = List.of(event(), event(), event(), event());
        BatchResult result = consumer.consumeAll("t", batch, e -> insertEffect(e, "batch"));
        assertThat(result.outcomes()).containsOnly(Outcome.APPLIED).hasSize(4);
        assertThat(result.failures()).isEmpty();
        assertThat(transactions).hasValue(1);
        assertThat(effects()).isEqualTo(4);
        assertThat(inboxRows()).isEqualTo(4);
        assertThat(consumer.appliedCount()).isEqualTo(4);
    }

    @Test
    void aBatchSkipsWhatWasAppliedBeforeAndAnEventDeliveredTwiceInIt() throws Exception {
        CloudEvent before = event();
        consumer.consume("t", before, e -> insertEffect(e, "first"));
        CloudEvent fresh = event();
        CloudEvent twice = event();
        List<CloudEvent> handled = new java.util.ArrayList<>();
        BatchResult result = consumer.consumeAll("t", List.of(before, fresh, twice, twice, fresh), new BatchEventHandler() {
            @Override
            public void handle(CloudEvent e) {
                throw new AssertionError("a batch goes to handleAll");
            }

            @Override
            public void handleAll(List<CloudEvent> events) throws SQLException {
                handled.addAll(events);
                for (CloudEvent e : events) {
                    insertEffect(e, "batch");
                }
            }
        });
        assertThat(result.outcomes()).containsExactly(Outcome.DUPLICATE, Outcome.APPLIED, Outcome.APPLIED,
                Outcome.DUPLICATE, Outcome.DUPLICATE);
        assertThat(handled).containsExactly(fresh, twice);
        assertThat(effects()).isEqualTo(3);
        assertThat(inboxRows()).isEqualTo(3);
        assertThat(consumer.duplicateCount()).isEqualTo(3);
    }

    @Test
    void aPoisonEventInABatchIsHandedBackAloneAndTheOthersAreApplied() throws Exception {
        CloudEvent poison = event();
        List<CloudEvent> batch = List.of(event(), event(), poison, event());
        BatchResult result = consumer.consumeAll("t", batch, e -> {
            insertEffect(e, "x");
            if (e == poison) {
                throw new MalformedEventException("data.ci.id is missing");
            }
        });
        assertThat(result.failures()).containsOnlyKeys(2);
        assertThat(result.failures().get(2)).isInstanceOf(MalformedEventException.class);
        assertThat(result.outcomes()).containsExactly(Outcome.APPLIED, Outcome.APPLIED, null, Outcome.APPLIED);
        // the batch, rolled back, then each event on its own
        assertThat(transactions).hasValue(1 + 4);
        assertThat(effects()).isEqualTo(3);
        assertThat(inboxRows()).isEqualTo(3);
        assertThat(hasEffect(poison)).isFalse();
    }

    @Test
    void anEventThatKeepsFailingInABatchIsRetriedAloneThenHandedBack() throws Exception {
        CloudEvent failing = event();
        AtomicInteger attempts = new AtomicInteger();
        BatchResult result = consumer.consumeAll("t", List.of(failing, event()), e -> {
            insertEffect(e, "x");
            if (e == failing) {
                attempts.incrementAndGet();
                throw new SQLException("deadlock detected");
            }
        });
        assertThat(result.failures()).containsOnlyKeys(0);
        assertThat(result.failures().get(0)).isInstanceOf(EventProcessingException.class)
                .hasMessageContaining("after 3 attempts");
        assertThat(attempts).hasValue(1 + 3);
        assertThat(result.outcomes()).containsExactly(null, Outcome.APPLIED);
        assertThat(effects()).isEqualTo(1);
        assertThat(consumer.failedCount()).isEqualTo(1);
    }

    @Test
    void aBatchThatFailsOnceIsAppliedEventByEvent() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        BatchResult result = consumer.consumeAll("t", List.of(event(), event(), event()), e -> {
            if (calls.incrementAndGet() == 2) {
                throw new SQLException("connection reset");
            }
            insertEffect(e, "x");
        });
        assertThat(result.failures()).isEmpty();
        assertThat(result.outcomes()).containsOnly(Outcome.APPLIED).hasSize(3);
        assertThat(effects()).isEqualTo(3);
        assertThat(inboxRows()).isEqualTo(3);
    }

    @Test
    void theLedgerRecordsMoreEventsThanOneStatementHolds() throws Exception {
        List<CloudEvent> batch = java.util.stream.Stream.generate(PostgresIdempotentConsumerTest::event).limit(2_500).toList();
        BatchResult result = consumer.consumeAll("t", batch, e -> { });
        assertThat(result.outcomes()).containsOnly(Outcome.APPLIED).hasSize(2_500);
        assertThat(inboxRows()).isEqualTo(2_500);
        assertThat(consumer.consumeAll("t", batch, e -> { }).outcomes()).containsOnly(Outcome.DUPLICATE);
    }

    private TransactionRunner counting(TransactionRunner runner) {
        return new TransactionRunner() {
            @Override
            public <T> T inNewTransaction(Callable<T> work) throws Exception {
                transactions.incrementAndGet();
                return runner.inNewTransaction(work);
            }
        };
    }

    private static boolean hasEffect(CloudEvent event) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("select count(*) from effect where event_id = ?")) {
            ps.setObject(1, event.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    private static CloudEvent event() {
        return new CloudEvent(UUID.randomUUID(), URI.create("/itsm/cmdb-service"), "itsm.ci.created",
                UUID.randomUUID().toString(), Instant.now(), null, "{}".getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static void insertEffect(CloudEvent event, String note) throws SQLException {
        try (PreparedStatement ps = CURRENT.get().prepareStatement("insert into effect (event_id, note) values (?, ?)")) {
            ps.setObject(1, event.id());
            ps.setString(2, note);
            ps.executeUpdate();
        }
    }

    private static long effects() throws SQLException {
        return count("effect");
    }

    private static long inboxRows() throws SQLException {
        return count("inbox_event");
    }

    private static long count(String table) throws SQLException {
        try (Connection c = ds.getConnection(); ResultSet rs = c.createStatement().executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
