package io.itsm.events.mongodb;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Callable;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.result.UpdateResult;

import io.itsm.events.CloudEvent;
import io.itsm.events.inbox.IdempotentConsumer;
import io.itsm.events.inbox.InboxLedger;
import io.itsm.events.inbox.TransactionRunner;

/**
 * The processed-event record of a MongoDB consumer. MongoDB here has no multi-document transactions (the
 * wire test server has none; production code must not depend on a replica set for correctness), so the
 * record must be written <b>with</b> the effect. Two ways, pick by the shape of the effect:
 *
 * <h2>1. The effect is one update of one document: use the static helpers (preferred)</h2>
 * The event key ({@link #key}) goes into the array {@value #APPLIED_EVENTS} of the document the effect
 * changes, in the same update: filter {@link #notApplied}, update {@link #recordApplied}, or simply
 * {@link #applyOnce}. An update that matched nothing because of the filter means "already applied". This
 * is exactly-once for the effect, crash or not. The array keeps the last {@value #REMEMBERED} keys per
 * document, so a redelivery is recognised as long as fewer than that many other events changed the same
 * document in between (Kafka redeliveries come within a few batches).
 *
 * <h2>2. The effect spans several documents: use this class as the {@link InboxLedger}</h2>
 * Keys are inserted into the collection {@value #COLLECTION} ({@code _id} = key; a duplicate key means
 * "seen before"), with {@link #transactionRunner()} around the work: the record is written first as a
 * claim, marked {@code done} when the effect returned, and deleted again when the effect threw, so the
 * {@link IdempotentConsumer}'s retry applies it. If the process dies between claim and completion, the
 * claim stays and is taken over by a redelivery after {@code claimTimeout}. So the effect may run twice
 * after a crash: <b>write such effects idempotently</b> (upserts keyed by the source ids, {@code $set} of
 * absolute values, {@code $addToSet}), never as increments. On a replica set a service may instead run the
 * effect and the insert in one MongoDB transaction with its own {@link TransactionRunner}.
 */
public class MongoInboxLedger implements InboxLedger {

    /** The array, in an effect's document, of the events applied to it. */
    public static final String APPLIED_EVENTS = "appliedEvents";
    /** How many applied event keys a document remembers. */
    public static final int REMEMBERED = 200;
    /** The collection of processed events for multi-document effects. */
    public static final String COLLECTION = "inbox_event";

    private static final String DONE = "done";
    private static final String CLAIMED = "claimed";

    /** What {@link #applyOnce} did. */
    public enum Result {
        /** The effect was applied and the event recorded in the document. */
        APPLIED,
        /** The document had already recorded this event: nothing changed. */
        ALREADY_APPLIED,
        /** No document matched the caller's filter: nothing changed. */
        NOT_FOUND
    }

    private final MongoCollection<Document> inbox;
    private final Duration claimTimeout;
    private final Clock clock;
    private final ThreadLocal<List<String>> claims = new ThreadLocal<>();

    public MongoInboxLedger(MongoDatabase database) {
        this(database, Duration.ofMinutes(5), Clock.systemUTC());
    }

    /** @param claimTimeout after how long a claim whose effect never completed (crash) may be taken over */
    public MongoInboxLedger(MongoDatabase database, Duration claimTimeout, Clock clock) {
        this.inbox = database.getCollection(COLLECTION);
        this.claimTimeout = claimTimeout;
        this.clock = clock;
    }

    // ---- 1. single-document effects ------------------------------------------------------------------

    /** The identity of an event across the suite: {@code source + "#" + id}. */
    public static String key(CloudEvent event) {
        return event.source() + "#" + event.id();
    }

    /** Filter fragment: the document has not recorded the event yet. Combine with the effect's filter. */
    public static Bson notApplied(CloudEvent event) {
        return Filters.ne(APPLIED_EVENTS, key(event));
    }

    /** Update fragment: records the event in the document (keeping the last {@value #REMEMBERED}). */
    public static Bson recordApplied(CloudEvent event) {
        return Updates.pushEach(APPLIED_EVENTS, List.of(key(event)), new PushOptions().slice(-REMEMBERED));
    }

    /**
     * Applies a single-document effect at most once: {@code updateOne(filter ∧ notApplied, update + recordApplied)}.
     * Do not upsert with this: an upsert would insert a second document for an already-applied event.
     *
     * @param filter selects the one document the event changes (normally by {@code _id})
     * @param update the effect
     */
    public static Result applyOnce(MongoCollection<Document> collection, Bson filter, Bson update, CloudEvent event) {
        UpdateResult result = collection.updateOne(Filters.and(filter, notApplied(event)),
                Updates.combine(update, recordApplied(event)));
        if (result.getMatchedCount() > 0) {
            return Result.APPLIED;
        }
        boolean recorded = collection.find(Filters.and(filter, Filters.eq(APPLIED_EVENTS, key(event))))
                .projection(new Document("_id", 1)).first() != null;
        return recorded ? Result.ALREADY_APPLIED : Result.NOT_FOUND;
    }

    /**
     * As {@link #applyOnce}, for an effect that creates the document when it does not exist yet (an upsert
     * whose filter is the {@code _id}): a duplicate-key error on the insert means the event was applied.
     */
    public static Result upsertOnce(MongoCollection<Document> collection, Object documentId, Bson update, CloudEvent event) {
        try {
            UpdateResult result = collection.updateOne(Filters.and(Filters.eq("_id", documentId), notApplied(event)),
                    Updates.combine(update, recordApplied(event)), new UpdateOptions().upsert(true));
            return result.getMatchedCount() > 0 || result.getUpsertedId() != null ? Result.APPLIED : Result.ALREADY_APPLIED;
        } catch (MongoException e) {
            if (ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY) {
                return Result.ALREADY_APPLIED;
            }
            throw e;
        }
    }

    // ---- 2. multi-document effects -------------------------------------------------------------------

    /**
     * Claims the event in {@value #COLLECTION}. Use together with {@link #transactionRunner()}.
     *
     * @return true the first time (or when an abandoned claim was taken over), false for a redelivery
     */
    @Override
    public boolean recordFirstDelivery(String topic, CloudEvent event) {
        String key = key(event);
        Date now = new Date(clock.millis());
        try {
            inbox.insertOne(new Document("_id", key).append("topic", topic).append("type", event.type())
                    .append("state", CLAIMED).append("claimedAt", now));
        } catch (MongoException e) {
            if (ErrorCategory.fromErrorCode(e.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // Seen before: a redelivery, unless the earlier attempt died half-way and left its claim behind.
            Date abandoned = new Date(clock.millis() - claimTimeout.toMillis());
            UpdateResult takeover = inbox.updateOne(Filters.and(Filters.eq("_id", key), Filters.eq("state", CLAIMED),
                    Filters.lt("claimedAt", abandoned)), Updates.set("claimedAt", now));
            if (takeover.getModifiedCount() == 0) {
                return false;
            }
        }
        List<String> open = claims.get();
        if (open != null) {
            open.add(key);
        }
        return true;
    }

    /**
     * Runs the consumer's work so that the claims it made are completed when it returns and withdrawn when it
     * throws (the closest to a transaction a store without transactions offers).
     */
    public TransactionRunner transactionRunner() {
        return new TransactionRunner() {
            @Override
            public <T> T inNewTransaction(Callable<T> work) throws Exception {
                List<String> outer = claims.get();
                List<String> mine = new ArrayList<>();
                claims.set(mine);
                try {
                    T result = work.call();
                    if (!mine.isEmpty()) {
                        inbox.updateMany(Filters.in("_id", mine), Updates.combine(Updates.set("state", DONE),
                                Updates.set("processedAt", new Date(clock.millis()))));
                    }
                    return result;
                } catch (Exception | Error e) {
                    if (!mine.isEmpty()) {
                        try {
                            inbox.deleteMany(Filters.and(Filters.in("_id", mine), Filters.eq("state", CLAIMED)));
                        } catch (MongoException cleanup) {
                            e.addSuppressed(cleanup); // the claim expires after claimTimeout instead
                        }
                    }
                    throw e;
                } finally {
                    if (outer == null) {
                        claims.remove();
                    } else {
                        claims.set(outer);
                    }
                }
            }
        };
    }

    /**
     * An idempotent consumer over this ledger and its {@link #transactionRunner()}; while MongoDB is unreachable an event
     * waits for it ({@link MongoOutages}) instead of going to the dead-letter topic.
     */
    public IdempotentConsumer consumer(IdempotentConsumer.RetryPolicy retry) {
        return new IdempotentConsumer(transactionRunner(), this, retry, MongoOutages::causes);
    }
}
