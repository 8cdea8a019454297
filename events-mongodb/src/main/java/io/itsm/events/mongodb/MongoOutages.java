package io.itsm.events.mongodb;

import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;

/**
 * Tells a failure caused by MongoDB being unreachable (no server selected in time, a dropped connection, the pool
 * cleared after the server went away, a replica set between primaries) from one caused by the work itself: the
 * idempotent consumer retries the first for as long as the outage lasts instead of dead-lettering the event.
 */
public final class MongoOutages {

    private MongoOutages() {
    }

    public static boolean causes(Throwable failure) {
        for (Throwable e = failure, seen = null; e != null && e != seen; seen = e, e = e.getCause()) {
            if (e instanceof MongoTimeoutException || e instanceof MongoSocketException
                    || e instanceof MongoConnectionPoolClearedException || e instanceof MongoNotPrimaryException
                    || e instanceof MongoNodeIsRecoveringException) {
                return true;
            }
        }
        return false;
    }
}
