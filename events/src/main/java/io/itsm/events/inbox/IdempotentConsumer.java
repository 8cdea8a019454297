package io.itsm.events.inbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import org.jboss.logging.Logger;

import io.itsm.events.CloudEvent;
import io.itsm.events.MalformedEventException;
import io.itsm.events.trace.Causation;

/**
 * Applies each event at most once: the event id is recorded in the consumer's ledger in the same
 * transaction as the effect, so a redelivery (after a crash, a rebalance or a replay) changes nothing.
 * Transient failures are retried with backoff; an event that still fails, or can never succeed, is thrown
 * back to the messaging layer, which sends it to {@code <topic>.dlq} with the reason and moves on.
 *
 * <p>Two kinds of failure are not the event's, so they never send it to the dead-letter topic: the consumer's
 * datastore being unreachable (its {@code outage} test; retried for as long as the outage lasts, the partition waiting
 * meanwhile), and the consumer stopping ({@link #stop()}, at shutdown, when the datastore's pool or persistence unit may
 * already be closed). While stopping, an event is not applied and {@link ConsumerStoppedException} is thrown: the
 * messaging layer leaves it unacknowledged and it is delivered again after the restart.
 *
 * <p>A poll's events can be applied together ({@link #consumeAll}): one transaction, one commit and one ledger
 * statement for the batch instead of one per event. When the batch fails, it is rolled back and its events are applied
 * one by one, with the retries above, so that only an event that fails on its own is dead-lettered.
 */
public class IdempotentConsumer {

    private static final Logger LOG = Logger.getLogger(IdempotentConsumer.class);

    /** How often and how patiently a transient failure is retried before the event is dead-lettered. */
    public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        public static RetryPolicy defaults() {
            return new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(5));
        }
    }

    /** What happened to a delivered event. */
    public enum Outcome { APPLIED, DUPLICATE }

    /**
     * What happened to each event of a batch, by its position in the batch: an outcome, or the exception for which it
     * goes to the dead-letter topic ({@link MalformedEventException} or {@link EventProcessingException}).
     */
    public record BatchResult(List<Outcome> outcomes, Map<Integer, RuntimeException> failures) {

        public BatchResult {
            outcomes = Collections.unmodifiableList(outcomes);
            failures = Collections.unmodifiableMap(failures);
        }
    }

    private final TransactionRunner transactions;
    private final InboxLedger ledger;
    private final RetryPolicy retry;
    private final Predicate<Throwable> outage;
    private volatile boolean stopping;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicInteger waitingForDatastore = new AtomicInteger();

    public IdempotentConsumer(TransactionRunner transactions, InboxLedger ledger, RetryPolicy retry) {
        this(transactions, ledger, retry, failure -> false);
    }

    /**
     * @param outage whether a failure means that the datastore is unreachable (then retried without limit, every
     *               {@link RetryPolicy#maxBackoff()} at most, until it succeeds or the consumer stops)
     */
    public IdempotentConsumer(TransactionRunner transactions, InboxLedger ledger, RetryPolicy retry,
                              Predicate<Throwable> outage) {
        this.transactions = transactions;
        this.ledger = ledger;
        this.retry = retry;
        this.outage = outage;
    }

    /**
     * From now on no event is applied: each one (and one being retried) ends in {@link ConsumerStoppedException}, so
     * that it stays unacknowledged and is delivered again after the restart. Called when the service shuts down.
     */
    public void stop() {
        stopping = true;
    }

    public boolean stopping() {
        return stopping;
    }

    /**
     * Applies the event unless it was applied before.
     *
     * @throws MalformedEventException when the event can never be applied
     * @throws EventProcessingException when it still failed after the retries
     * @throws ConsumerStoppedException when the consumer stops before the event is applied
     */
    public Outcome consume(String topic, CloudEvent event, EventHandler handler) {
        long backoff = retry.initialBackoff().toMillis();
        long outageSince = 0;
        try {
            for (int attempt = 1; ; ) {
                requireRunning(event, null);
                try {
                    // The events this one causes continue its trace and carry its request id.
                    Outcome outcome = Causation.whileConsuming(event.extensions(),
                            () -> transactions.inNewTransaction(() -> {
                                if (!ledger.recordFirstDelivery(topic, event)) {
                                    return Outcome.DUPLICATE;
                                }
                                handler.handle(event);
                                return Outcome.APPLIED;
                            }));
                    (outcome == Outcome.APPLIED ? applied : duplicates).incrementAndGet();
                    if (outcome == Outcome.DUPLICATE) {
                        LOG.debugf("event %s (%s) from %s was already processed: skipped", event.id(), event.type(),
                                topic);
                    }
                    if (outageSince != 0) {
                        LOG.infof("event %s (%s) applied after the datastore came back (%d ms)", event.id(), event.type(),
                                System.currentTimeMillis() - outageSince);
                    }
                    return outcome;
                } catch (MalformedEventException e) {
                    requireRunning(event, e);
                    failed.incrementAndGet();
                    throw e;
                } catch (Exception e) {
                    requireRunning(event, e);
                    if (outage.test(e)) {
                        if (outageSince == 0) {
                            outageSince = System.currentTimeMillis();
                            waitingForDatastore.incrementAndGet();
                            LOG.warnf("event %s (%s) waits for the datastore, retrying every %d ms at most until it is "
                                    + "back: %s", event.id(), event.type(), retry.maxBackoff().toMillis(), e.getMessage());
                        }
                    } else if (attempt >= retry.maxAttempts()) {
                        failed.incrementAndGet();
                        throw new EventProcessingException("event " + event.id() + " (" + event.type()
                                + ") failed after " + attempt + " attempts: " + e.getMessage(), e);
                    } else {
                        LOG.warnf("event %s (%s) failed (attempt %d of %d), retrying in %d ms: %s", event.id(), event.type(),
                                attempt, retry.maxAttempts(), backoff, e.getMessage());
                        attempt++;
                    }
                    pause(backoff, event, e);
                    backoff = Math.min(backoff * 2, retry.maxBackoff().toMillis());
                }
            }
        } finally {
            if (outageSince != 0) {
                waitingForDatastore.decrementAndGet();
            }
        }
    }

    /**
     * Waits before a retry, in short steps so that a stop does not wait for a long backoff. A thread interrupted
     * meanwhile (its pool shuts down) ends the wait as a stop would, keeping its interrupt.
     */
    private void pause(long millis, CloudEvent event, Exception failure) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left = until - System.nanoTime(); left > 0 && !stopping; left = until - System.nanoTime()) {
            LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            if (Thread.currentThread().isInterrupted()) {
                throw stopped(event, failure);
            }
        }
    }

    private void requireRunning(CloudEvent event, Exception failure) {
        if (stopping) {
            throw stopped(event, failure);
        }
    }

    private static ConsumerStoppedException stopped(CloudEvent event, Exception failure) {
        return new ConsumerStoppedException("the consumer is stopping: event " + event.id() + " (" + event.type()
                + ") is left for redelivery" + (failure == null ? "" : " (it failed with: " + failure.getMessage() + ")"),
                failure);
    }

    /**
     * Applies the events that were not applied before, in one transaction with their ledger records: through
     * {@link BatchEventHandler#handleAll} when the handler is one, else one by one, each while its own trace is
     * current, with {@link TransactionRunner#betweenEvents} after each. Should that
     * fail, nothing of it is kept and each event is applied on its own ({@link #consume}), so that one poison event
     * does not take its batch to the dead-letter topic. Never throws for a single event's failure: see the result.
     *
     * @throws ConsumerStoppedException when the consumer stops before every event is applied (the events applied by
     *                                  then are in the ledger, so their redelivery changes nothing)
     */
    public BatchResult consumeAll(String topic, List<CloudEvent> events, EventHandler handler) {
        if (events.isEmpty()) {
            return new BatchResult(List.of(), Map.of());
        }
        requireRunning(events.get(0), null);
        if (events.size() > 1) {
            try {
                List<CloudEvent> first = transactions.inNewTransaction(() -> {
                    List<CloudEvent> fresh = ledger.recordFirstDeliveries(topic, events);
                    if (fresh.isEmpty()) {
                        return fresh;
                    }
                    if (handler instanceof BatchEventHandler batchHandler) {
                        batchHandler.handleAll(fresh);
                        return fresh;
                    }
                    for (CloudEvent event : fresh) {
                        Causation.whileConsuming(event.extensions(), () -> {
                            handler.handle(event);
                            return null;
                        });
                        transactions.betweenEvents();
                    }
                    return fresh;
                });
                Set<CloudEvent> applied = Collections.newSetFromMap(new IdentityHashMap<>());
                applied.addAll(first);
                List<Outcome> outcomes = new ArrayList<>(events.size());
                for (CloudEvent event : events) {
                    // an event delivered twice within the batch was recorded once: its second delivery is a duplicate
                    outcomes.add(applied.remove(event) ? Outcome.APPLIED : Outcome.DUPLICATE);
                }
                long appliedNow = outcomes.stream().filter(o -> o == Outcome.APPLIED).count();
                this.applied.addAndGet(appliedNow);
                duplicates.addAndGet(events.size() - appliedNow);
                return new BatchResult(outcomes, Map.of());
            } catch (Exception e) {
                requireRunning(events.get(0), e);
                LOG.infof("a batch of %d events from %s failed (%s): applying them one by one", events.size(), topic,
                        e.getMessage());
            }
        }
        List<Outcome> outcomes = new ArrayList<>(events.size());
        Map<Integer, RuntimeException> failures = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            try {
                outcomes.add(consume(topic, events.get(i), handler));
            } catch (MalformedEventException | EventProcessingException e) {
                outcomes.add(null);
                failures.put(i, e);
            }
        }
        return new BatchResult(outcomes, failures);
    }

    public long appliedCount() {
        return applied.get();
    }

    public long duplicateCount() {
        return duplicates.get();
    }

    public long failedCount() {
        return failed.get();
    }

    /** Events that wait for the datastore now (one at most per consuming thread). */
    public int waitingForDatastore() {
        return waitingForDatastore.get();
    }
}
