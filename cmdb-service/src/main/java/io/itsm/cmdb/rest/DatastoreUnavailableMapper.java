package io.itsm.cmdb.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;

import io.itsm.rest.ProblemMapper;

/**
 * MongoDB unreachable (no server selected in time, connection dropped, the pool cleared after the server went away): 503 with {@code Retry-After}, a problem
 * the client can retry, instead of the generic 500. Readiness reports the same outage to the orchestrator.
 */
public class DatastoreUnavailableMapper {

    private static final Logger LOG = Logger.getLogger(DatastoreUnavailableMapper.class);

    @ServerExceptionMapper({MongoTimeoutException.class, MongoSocketException.class, MongoConnectionPoolClearedException.class})
    public Response unavailable(RuntimeException e, UriInfo uri) {
        LOG.warnf("MongoDB unavailable on %s: %s", uri.getPath(), e.getMessage());
        return ProblemMapper.serviceUnavailable("the CMDB datastore is not reachable right now; retry later", uri);
    }
}
