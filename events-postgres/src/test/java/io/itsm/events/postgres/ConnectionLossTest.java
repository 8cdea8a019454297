package io.itsm.events.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

/** Which failures mean that PostgreSQL is unreachable (a consumer then waits for it) and which are the work's own. */
class ConnectionLossTest {

    @Test
    void aConnectionFailureAnywhereAmongTheCausesOrSuppressedIsALoss() {
        assertThat(ConnectionLoss.causes(new JDBCConnectionException("refused", new SQLException("refused", "08001"))))
                .isTrue();
        assertThat(ConnectionLoss.causes(new IllegalStateException("commit failed",
                new RuntimeException(new SQLException("I/O error", "08006"))))).isTrue();
        RuntimeException failedCommit = new RuntimeException("rollback");
        failedCommit.addSuppressed(new SQLException("terminating connection due to administrator command", "57P01"));
        assertThat(ConnectionLoss.causes(failedCommit)).isTrue();
        assertThat(ConnectionLoss.causes(new SQLException("the database system is starting up", "57P03"))).isTrue();
    }

    @Test
    void whatTheWorkItselfCausedIsNot() {
        assertThat(ConnectionLoss.causes(new ConstraintViolationException("duplicate",
                new SQLException("duplicate key value", "23505"), "uq"))).isFalse();
        assertThat(ConnectionLoss.causes(new SQLException("division by zero", "22012"))).isFalse();
        assertThat(ConnectionLoss.causes(new SQLException("no state"))).isFalse();
        assertThat(ConnectionLoss.causes(new IllegalArgumentException("no such class"))).isFalse();
        assertThat(ConnectionLoss.causes(null)).isFalse();
    }
}
