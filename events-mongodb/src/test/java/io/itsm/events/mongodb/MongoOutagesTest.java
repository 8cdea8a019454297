package io.itsm.events.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketOpenException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.ServerAddress;

/** Which failures mean that MongoDB is unreachable (a consumer then waits for it) and which are the work's own. */
class MongoOutagesTest {

    @Test
    void anUnreachableServerAnywhereAmongTheCausesIsAnOutage() {
        ServerAddress server = new ServerAddress("127.0.0.1", 27027);
        assertThat(MongoOutages.causes(new MongoTimeoutException("no server selected in 30000 ms"))).isTrue();
        assertThat(MongoOutages.causes(new IllegalStateException("apply failed",
                new MongoSocketOpenException("connection refused", server)))).isTrue();
        assertThat(MongoOutages.causes(new MongoNotPrimaryException(new BsonDocument(), server))).isTrue();
    }

    @Test
    void whatTheWorkItselfCausedIsNot() {
        assertThat(MongoOutages.causes(new MongoException(11000, "E11000 duplicate key error"))).isFalse();
        assertThat(MongoOutages.causes(new IllegalArgumentException("no such class"))).isFalse();
        assertThat(MongoOutages.causes(null)).isFalse();
    }
}
