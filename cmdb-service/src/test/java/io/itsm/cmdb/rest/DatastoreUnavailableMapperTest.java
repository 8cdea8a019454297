package io.itsm.cmdb.rest;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.ServerAddress;
import com.mongodb.connection.ClusterId;
import com.mongodb.connection.ServerId;

import io.itsm.rest.Problem;

/** The REST answer to a MongoDB failure: 503 for every outage the event consumers wait out, 500 for the rest. */
class DatastoreUnavailableMapperTest {

    private static final ServerAddress SERVER = new ServerAddress("127.0.0.1", 27027);
    private final DatastoreUnavailableMapper mapper = new DatastoreUnavailableMapper();

    @Test
    void everyKindOfOutageIsA503ProblemTheClientMayRetry() {
        for (MongoException outage : new MongoException[] {
                new MongoTimeoutException("no server selected in 30000 ms"),
                new MongoSocketReadException("prematurely reached end of stream", SERVER),
                new MongoConnectionPoolClearedException(
                        new ServerId(new ClusterId(), SERVER), null),
                new MongoNotPrimaryException(new BsonDocument(), SERVER),
                new MongoNodeIsRecoveringException(new BsonDocument(), SERVER) }) {
            Response response = mapper.mongoFailure(outage, null);
            assertThat(response.getStatus()).as(outage.getClass().getSimpleName()).isEqualTo(503);
            assertThat(response.getHeaderString("Retry-After")).isEqualTo("5");
            assertThat(((Problem) response.getEntity()).detail()).isEqualTo(DatastoreUnavailableMapper.DETAIL);
        }
    }

    @Test
    void anyOtherMongoFailureIsAnInternalErrorNotAnOutage() {
        Response response = mapper.mongoFailure(new MongoException(2, "BadValue: unknown operator"), null);
        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(((Problem) response.getEntity()).detail()).contains("quote error id");
    }
}
