package io.itsm.rest.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import jakarta.transaction.RollbackException;
import jakarta.ws.rs.core.Response;

import org.hibernate.exception.GenericJDBCException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

import io.itsm.rest.Problem;

class DatabaseUnavailableProblemMapperTest {

    private final DatabaseUnavailableProblemMapper mapper = new DatabaseUnavailableProblemMapper();

    @Test
    void anUnreachableDatabaseIsA503ProblemTheClientMayRetry() {
        Response response = mapper.connection(new JDBCConnectionException("refused", new SQLException("refused", "08001")), null);
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("5");
        assertThat(((Problem) response.getEntity()).detail()).isEqualTo(DatabaseUnavailableProblemMapper.DETAIL);
    }

    @Test
    void aCommitThatFailedBecauseTheConnectionWentIsA503AndAnyOtherFailedCommitA500() {
        RollbackException lost = new RollbackException("could not commit");
        lost.initCause(new SQLException("An I/O error occurred while sending to the backend.", "08006"));
        assertThat(mapper.failedCommit(lost, null).getStatus()).isEqualTo(503);

        GenericJDBCException shutdown = new GenericJDBCException("Error executing work",
                new SQLException("FATAL: terminating connection due to administrator command", "57P01"));
        assertThat(mapper.failedCommit(shutdown, null).getStatus()).isEqualTo(503);

        RollbackException suppressed = new RollbackException("ARJUNA016053: Could not commit transaction.");
        suppressed.addSuppressed(new SQLException("FATAL: terminating connection due to administrator command", "57P01"));
        assertThat(mapper.failedCommit(new RuntimeException("Error invoking subclass method", suppressed), null).getStatus())
                .isEqualTo(503);

        RollbackException other = new RollbackException("could not commit");
        other.initCause(new SQLException("deadlock detected", "40P01"));
        assertThat(mapper.failedCommit(other, null).getStatus()).isEqualTo(500);
    }
}
