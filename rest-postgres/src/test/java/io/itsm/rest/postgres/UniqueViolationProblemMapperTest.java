package io.itsm.rest.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

import jakarta.ws.rs.core.Response;

import org.hibernate.exception.ConstraintViolationException;
import org.junit.jupiter.api.Test;

import io.itsm.rest.Problem;

class UniqueViolationProblemMapperTest {

    private final UniqueViolationProblemMapper mapper = new UniqueViolationProblemMapper();

    @Test
    void aUniqueValueTakenByARacingRequestIsA409NamingTheFieldAndTheValue() {
        // as PostgreSQL reports it from a JDBC batch (the statement's own text in front, the detail inside)
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 insert into change_template (name) values "
                + "(('Monthly patch')) was aborted: ERROR: duplicate key value violates unique constraint "
                + "\"change_template_name_key\"\n  Detail: Key (name)=(Monthly patch) already exists.  Call getNextException "
                + "to see other errors in the batch.", "23505", 0, new int[0]);
        Response response = mapper.constraintViolation(new ConstraintViolationException("could not execute batch", batch,
                "change_template_name_key"), null);

        assertThat(response.getStatus()).isEqualTo(409);
        Problem problem = (Problem) response.getEntity();
        assertThat(problem.type().toString()).isEqualTo("urn:itsm:problem:conflict");
        assertThat(problem.detail()).isEqualTo("name 'Monthly patch' is taken by another resource");
        assertThat(problem.errors()).extracting(Problem.FieldError::field).containsExactly("name");
    }

    @Test
    void aColumnIsNamedAsTheApiNamesItsField() {
        SQLException unique = new SQLException("ERROR: duplicate key value violates unique constraint \"x\"\n  Detail: "
                + "Key (short_description)=(abc) already exists.", "23505");
        Problem problem = (Problem) mapper.constraintViolation(new ConstraintViolationException("insert", unique, "x"), null)
                .getEntity();
        assertThat(problem.errors().get(0).field()).isEqualTo("shortDescription");
    }

    @Test
    void anyOtherConstraintViolationIsADefectOfTheServiceNotOfTheRequest() {
        SQLException foreignKey = new SQLException("ERROR: insert or update violates foreign key constraint", "23503");
        Response response = mapper.constraintViolation(new ConstraintViolationException("insert", foreignKey, "fk"), null);
        assertThat(response.getStatus()).isEqualTo(500);
    }
}
