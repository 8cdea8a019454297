package io.itsm.rest.postgres;

import java.sql.SQLException;

import jakarta.transaction.RollbackException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.hibernate.exception.GenericJDBCException;
import org.hibernate.exception.JDBCConnectionException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

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
        return lostConnection(e) ? unavailable(e, uri) : ProblemMapper.internalError(e, uri);
    }

    private static Response unavailable(Exception e, UriInfo uri) {
        LOG.warnf("PostgreSQL unavailable on %s: %s", uri == null ? "?" : uri.getPath(), e.getMessage());
        return ProblemMapper.serviceUnavailable(DETAIL, uri);
    }

    /**
     * Somewhere in the causes: Hibernate's connection failure, a SQLSTATE of class 08 (connection exception), or the
     * server going down under an open connection (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now).
     */
    static boolean lostConnection(Throwable e) {
        return lostConnection(e, 0);
    }

    /** Causes and suppressed exceptions both: a failed commit keeps the driver's error among the suppressed ones. */
    private static boolean lostConnection(Throwable e, int depth) {
        if (e == null || depth > 20) {
            return false;
        }
        if (e instanceof JDBCConnectionException) {
            return true;
        }
        if (e instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
            return true;
        }
        for (Throwable suppressed : e.getSuppressed()) {
            if (lostConnection(suppressed, depth + 1)) {
                return true;
            }
        }
        return e.getCause() != e && lostConnection(e.getCause(), depth + 1);
    }
}
