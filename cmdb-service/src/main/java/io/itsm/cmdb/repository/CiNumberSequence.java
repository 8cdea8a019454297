package io.itsm.cmdb.repository;

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
        return format(nextValue());
    }

    static String format(long value) {
        return "CI" + String.format("%07d", value);
    }

    private long nextValue() {
        // BEFORE, not AFTER: the value is computed from the snapshot the increment started from. (The MongoDB-wire
        // test server serialises an AFTER document after releasing its lock, so a concurrent increment can leak
        // into it and two callers would see the same number; the BEFORE document is a copy.)
        FindOneAndUpdateOptions options = new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.BEFORE);
        for (int attempt = 1; ; attempt++) {
            try {
                Document before = db.collection(CmdbDatabase.COUNTERS)
                        .findOneAndUpdate(Filters.eq("_id", COUNTER_ID), Updates.inc("seq", 1L), options);
                long seq = before == null ? 1 : ((Number) before.get("seq")).longValue() + 1; // null: our upsert created it
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
