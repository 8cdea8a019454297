package io.itsm.events.postgres;

import java.sql.SQLException;

import org.hibernate.exception.JDBCConnectionException;

/**
 * Tells a failure caused by PostgreSQL being unreachable from one caused by the work itself: the REST layer answers
 * the first with 503, and the idempotent consumer retries it for as long as the outage lasts instead of
 * dead-lettering the event.
 */
public final class ConnectionLoss {

    private ConnectionLoss() {
    }

    /**
     * Somewhere in the causes: Hibernate's connection failure, a SQLSTATE of class 08 (connection exception), or the
     * server going down under an open connection (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now).
     * Causes and suppressed exceptions both: a failed commit keeps the driver's error among the suppressed ones.
     */
    public static boolean causes(Throwable failure) {
        return causes(failure, 0);
    }

    private static boolean causes(Throwable e, int depth) {
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
            if (causes(suppressed, depth + 1)) {
                return true;
            }
        }
        return e.getCause() != e && causes(e.getCause(), depth + 1);
    }
}
