package io.itsm.rest.postgres;

import java.net.URI;

import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.hibernate.StaleStateException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.itsm.rest.Problem;
import io.itsm.rest.ProblemMapper;

/**
 * A concurrent update won the optimistic lock between the If-Match check and the write: answer 412 like a
 * stale If-Match, never 500. Every PostgreSQL service shares it.
 */
public class OptimisticLockProblemMapper {

    static final String DETAIL = "the resource was changed by someone else while this request was handled; read it again and retry";

    @ServerExceptionMapper
    public Response optimisticLock(OptimisticLockException e, UriInfo uri) {
        return preconditionFailed(uri);
    }

    @ServerExceptionMapper
    public Response staleState(StaleStateException e, UriInfo uri) {
        return preconditionFailed(uri);
    }

    static Response preconditionFailed(UriInfo uri) {
        URI instance = ProblemMapper.instance(uri);
        return ProblemMapper.respond(new Problem(Problem.type("precondition-failed"),
                "Precondition failed", 412, DETAIL, instance, null));
    }
}
