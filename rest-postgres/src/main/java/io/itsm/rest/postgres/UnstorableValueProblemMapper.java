package io.itsm.rest.postgres;

import java.net.URI;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.hibernate.exception.DataException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.itsm.rest.Problem;
import io.itsm.rest.ProblemMapper;

/**
 * PostgreSQL refused a value the request carried (SQLSTATE class 22, "data exception": a text too long for its
 * column, a character it cannot store, a number out of range, ...). The transaction is rolled back, so nothing is
 * written; the client gets a 400 instead of a 500. The input checks should catch such values first and name the field;
 * this is the last line for values that reach the database another way (e.g. a merge patch).
 */
public class UnstorableValueProblemMapper {

    @ServerExceptionMapper
    public Response dataException(DataException e, UriInfo uri) {
        String detail = switch (e.getSQLState() == null ? "" : e.getSQLState()) {
            case "22001" -> "a text in the request is longer than its field allows";
            case "22021", "22P05" -> "a text in the request contains a character that cannot be stored (e.g. U+0000)";
            case "22003" -> "a number in the request is out of range";
            case "22007", "22008" -> "a date or time in the request is out of range";
            default -> "a value in the request cannot be stored";
        };
        URI instance = ProblemMapper.instance(uri);
        return ProblemMapper.respond(new Problem(Problem.type("malformed-request"),
                "Malformed request", 400, detail, instance, null));
    }
}
