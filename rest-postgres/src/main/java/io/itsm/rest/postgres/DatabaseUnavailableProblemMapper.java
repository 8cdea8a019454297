package io.itsm.rest.postgres;

import jakarta.transaction.RollbackException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.hibernate.exception.GenericJDBCException;
import org.hibernate.exception.JDBCConnectionException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.itsm.events.postgres.ConnectionLoss;
import io.itsm.rest.ProblemMapper;
import io.quarkus.arc.ArcUndeclaredThrowableException;

/**
 * PostgreSQL cannot be reached (refused, the connection dropped mid-statement, or a commit that failed for that
 * reason): 503 with {@code Retry-After} instead of a 500. Nothing was committed, so the client may retry; readiness
 * reports the same outage. A failed commit for another reason stays a 500.
 */
public class DatabaseUnavailableProblemMapper {

    private static final Logger LOG = Logger.getLogger(DatabaseUnavailableProblemMapper.class);
    static final String DETAIL = "the service's database is not reachable right now; nothing was saved, retry later";

    @ServerExceptionMapper
    public Response connection(JDBCConnectionException e, UriInfo uri) {
        return unavailable(e, uri);
    }

    /** A statement or commit that failed: 503 when the database connection is what failed, else a 500. */
    @ServerExceptionMapper({ RollbackException.class, ArcUndeclaredThrowableException.class, GenericJDBCException.class })
    public Response failedCommit(Exception e, UriInfo uri) {
        return ConnectionLoss.causes(e) ? unavailable(e, uri) : ProblemMapper.internalError(e, uri);
    }

    private static Response unavailable(Exception e, UriInfo uri) {
        LOG.warnf("PostgreSQL unavailable on %s: %s", uri == null ? "?" : uri.getPath(), e.getMessage());
        return ProblemMapper.serviceUnavailable(DETAIL, uri);
    }
}
