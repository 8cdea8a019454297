package io.itsm.cmdb.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.bson.Document;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;

/**
 * Hands out the human CI numbers {@code CI0010001, CI0010002, …} from a counter document
 * ({@code counters/_id: "ci"}), incremented atomically with {@code findOneAndUpdate $inc} (upsert on first
 * use). A number taken by a create that then fails is not reused: numbers are unique and increasing, not gapless.
 */
@ApplicationScoped
public class CiNumberSequence {

    static final String COUNTER_ID = "ci";
    static final long FIRST = 10_001;

    @Inject
    CmdbDatabase db;

    public String next() {
        return format(nextValue(1));
    }

    /** {@code count} consecutive numbers in one counter update, e.g. for the CIs an import creates. */
    public List<String> next(int count) {
        long first = nextValue(count) - count + 1;
        List<String> numbers = new java.util.ArrayList<>(count);
        for (long n = first; n < first + count; n++) {
            numbers.add(format(n));
        }
        return numbers;
    }

    static String format(long value) {
        return "CI" + String.format("%07d", value);
    }

    /** Adds {@code count} to the counter; returns the last value taken. */
    private long nextValue(int count) {
        // BEFORE, not AFTER: the value is computed from the snapshot the increment started from. (The MongoDB-wire
        // test server serialises an AFTER document after releasing its lock, so a concurrent increment can leak
        // into it and two callers would see the same number; the BEFORE document is a copy.)
        FindOneAndUpdateOptions options = new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.BEFORE);
        for (int attempt = 1; ; attempt++) {
            try {
                Document before = db.collection(CmdbDatabase.COUNTERS)
                        .findOneAndUpdate(Filters.eq("_id", COUNTER_ID), Updates.inc("seq", (long) count), options);
                long seq = before == null ? count : ((Number) before.get("seq")).longValue() + count; // null: our upsert created it
                return FIRST - 1 + seq;
            } catch (MongoException e) {
                // two first-ever upserts raced and one lost on _id: the counter exists now, so increment it
                if (attempt >= 3 || ErrorCategory.fromErrorCode(e.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
            }
        }
    }
}
