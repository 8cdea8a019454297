package io.itsm.cmdb.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.mongodb.MongoException;

import io.itsm.events.mongodb.MongoOutages;
import io.itsm.rest.ProblemMapper;

/**
 * MongoDB unreachable, as {@link MongoOutages} tells it (the same test the event consumers use to wait for the store
 * instead of dead-lettering): 503 with {@code Retry-After}, a problem the client can retry, instead of the generic 500.
 * Readiness reports the same outage to the orchestrator. Any other MongoDB failure stays a 500.
 */
public class DatastoreUnavailableMapper {

    private static final Logger LOG = Logger.getLogger(DatastoreUnavailableMapper.class);
    static final String DETAIL = "the CMDB datastore is not reachable right now; retry later";

    @ServerExceptionMapper
    public Response mongoFailure(MongoException e, UriInfo uri) {
        if (!MongoOutages.causes(e)) {
            return ProblemMapper.internalError(e, uri);
        }
        LOG.warnf("MongoDB unavailable on %s: %s", uri == null ? "?" : uri.getPath(), e.getMessage());
        return ProblemMapper.serviceUnavailable(DETAIL, uri);
    }
}
