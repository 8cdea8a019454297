package io.itsm.rest.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.core.Response;

import org.hibernate.StaleObjectStateException;
import org.junit.jupiter.api.Test;

import io.itsm.rest.Problem;

/** A lost optimistic lock is a 412 problem, whichever exception reports it. */
class OptimisticLockProblemMapperTest {

    private final OptimisticLockProblemMapper mapper = new OptimisticLockProblemMapper();

    @Test
    void bothLockExceptionsAre412Problems() {
        for (Response response : new Response[] {
                mapper.optimisticLock(new OptimisticLockException("stale"), null),
                mapper.staleState(new StaleObjectStateException("Incident", "x"), null)}) {
            assertThat(response.getStatus()).isEqualTo(412);
            assertThat(response.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
            assertThat(((Problem) response.getEntity()).type().toString()).isEqualTo("urn:itsm:problem:precondition-failed");
        }
    }
}
