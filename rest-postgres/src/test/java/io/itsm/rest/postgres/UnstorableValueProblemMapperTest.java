package io.itsm.rest.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import jakarta.ws.rs.core.Response;

import org.hibernate.exception.DataException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.itsm.rest.Problem;

class UnstorableValueProblemMapperTest {

    @ParameterizedTest
    @CsvSource({ "22021, cannot be stored (e.g. U+0000)", "22001, longer than its field allows", "22003, out of range",
            "22P02, cannot be stored" })
    void aValuePostgresRefusesIsA400ProblemNamingWhatWasWrong(String sqlState, String detail) {
        DataException refused = new DataException("could not execute statement", new SQLException("refused", sqlState));
        Response response = new UnstorableValueProblemMapper().dataException(refused, null);
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
        Problem problem = (Problem) response.getEntity();
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.detail()).contains(detail);
    }
}
