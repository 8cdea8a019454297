package io.itsm.events.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

/**
 * Moves events from an {@link OutboxStore} to Kafka on one background thread: immediately after a commit
 * ({@link #wakeUp()}), at once again after a full batch, otherwise every poll interval; with exponential backoff
 * while the broker or the store is unavailable. Nothing is removed from the store before the broker acknowledged
 * it, so a crash or an outage delays events but never loses them; what a crash left published but not removed, the
 * store finds through {@link OutboxPublisher#alreadyPublished} and does not publish again.
 */
public class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /** Tuning of the relay loop. */
    public record Settings(int batchSize, Duration pollInterval, Duration initialBackoff, Duration maxBackoff) {
        public static Settings defaults() {
            return new Settings(500, Duration.ofMillis(500), Duration.ofMillis(100), Duration.ofSeconds(5));
        }
    }

    /** What the relay has done, for health checks and metrics. */
    public record Status(boolean running, long published, long failures, int consecutiveFailures,
                         Instant lastSuccess, String lastError) {
    }

    private final String name;
    private final OutboxStore store;
    private final Supplier<? extends OutboxPublisher> publisherFactory;
    private volatile OutboxPublisher publisher;
    private final Object publisherBuild = new Object();
    private final Settings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean wakeRequested;
    private volatile boolean running;
    private volatile int consecutiveFailures;
    private volatile Instant lastSuccess;
    private volatile String lastError;
    private Thread thread;

    public OutboxRelay(String name, OutboxStore store, OutboxPublisher publisher, Settings settings) {
        this(name, store, () -> publisher, settings);
    }

    /**
     * A relay whose publisher is built by its first pass, on the relay's own thread (or {@link #drain()}'s caller),
     * not by the caller of this constructor: a Kafka producer takes a tenth of a second to build, which a service
     * would otherwise add to its start-up. A build that fails counts as a failed pass: retried with backoff.
     */
    public OutboxRelay(String name, OutboxStore store, Supplier<? extends OutboxPublisher> publisherFactory, Settings settings) {
        this.name = name;
        this.store = store;
        this.publisherFactory = publisherFactory;
        this.settings = settings;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "outbox-relay-" + name);
        thread.setDaemon(true);
        thread.start();
        LOG.infof("outbox relay %s started (batch %d, poll %s)", name, settings.batchSize(), settings.pollInterval());
    }

    /** Asks the relay to look at the outbox now, e.g. right after a transaction that wrote to it committed. */
    public void wakeUp() {
        wakeRequested = true;
        lock.lock();
        try {
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs one relay pass in the caller's thread until the outbox is empty or a pass fails.
     *
     * @return how many entries were published
     */
    public int drain() throws Exception {
        int total = 0;
        int delivered;
        do {
            delivered = store.relay(settings.batchSize(), publisher());
            total += delivered;
            published.addAndGet(delivered);
        } while (delivered > 0);
        return total;
    }

    /** Stops after the batch in progress, waiting at most the given time for it. */
    public void stop(Duration wait) {
        Thread t;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            t = thread;
        }
        wakeUp();
        try {
            t.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.infof("outbox relay %s stopped after publishing %d events", name, published.get());
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    public Status status() {
        return new Status(running, published.get(), failures.get(), consecutiveFailures, lastSuccess, lastError);
    }

    private void loop() {
        long backoff = settings.initialBackoff().toMillis();
        while (running) {
            try {
                // A wake-up from here on may be for an entry this pass's read does not see, so it brings on another
                // pass; one from before is for an entry committed before the read, which sees it.
                wakeRequested = false;
                int delivered = store.relay(settings.batchSize(), publisher());
                published.addAndGet(delivered);
                lastSuccess = Instant.now();
                if (consecutiveFailures > 0) {
                    LOG.infof("outbox relay %s recovered after %d failed attempts", name, consecutiveFailures);
                }
                consecutiveFailures = 0;
                lastError = null;
                backoff = settings.initialBackoff().toMillis();
                if (delivered < settings.batchSize()) {
                    // the store gave all it had: the next pass waits for a commit's wake-up (none came during this
                    // pass) or the poll interval, instead of reading an outbox that is most likely empty
                    await(settings.pollInterval().toMillis());
                }
            } catch (Exception e) {
                failures.incrementAndGet();
                consecutiveFailures++;
                lastError = String.valueOf(e.getMessage());
                if (consecutiveFailures == 1 || consecutiveFailures % 20 == 0) {
                    LOG.warnf("outbox relay %s could not publish (attempt %d), retrying with backoff: %s", name,
                            consecutiveFailures, rootMessage(e));
                }
                long jitter = ThreadLocalRandom.current().nextLong(backoff / 4 + 1);
                backOff(backoff + jitter);
                backoff = Math.min(backoff * 2, settings.maxBackoff().toMillis());
            }
        }
    }

    private OutboxPublisher publisher() {
        OutboxPublisher p = publisher;
        if (p == null) {
            synchronized (publisherBuild) {
                p = publisher;
                if (p == null) {
                    p = Objects.requireNonNull(publisherFactory.get(), "the publisher factory returned null");
                    publisher = p;
                }
            }
        }
        return p;
    }

    private void await(long millis) {
        lock.lock();
        try {
            if (!wakeRequested && running) {
                wake.await(millis, TimeUnit.MILLISECONDS);
            }
            wakeRequested = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Waits out a backoff: a stop request ends it early, a wake-up does not, so an outage is not hammered. */
    private void backOff(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            long left;
            while (running && (left = deadline - System.nanoTime()) > 0) {
                wake.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
