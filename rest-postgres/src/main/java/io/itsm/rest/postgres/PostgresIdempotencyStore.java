package io.itsm.rest.postgres;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.itsm.rest.idempotency.IdempotencyStore;
import io.itsm.rest.idempotency.IdempotentRequest;

/**
 * Idempotency keys in the service's own PostgreSQL ({@code idempotency_key}, created by
 * {@code db/rest/R__idempotency_keys.sql}), written in the caller's transaction. A second request with the same
 * key waits on the first one's row lock, so two concurrent retries never both create.
 */
@ApplicationScoped
public class PostgresIdempotencyStore implements IdempotencyStore {

    @Inject
    EntityManager entityManager;

    @Override
    public Optional<IdempotentRequest> claim(String scope, String key, String fingerprint) {
        int claimed = entityManager.createNativeQuery("insert into idempotency_key (scope, idempotency_key, fingerprint, created_at) "
                        + "values (?1, ?2, ?3, now()) on conflict do nothing")
                .setParameter(1, scope).setParameter(2, key).setParameter(3, fingerprint).executeUpdate();
        if (claimed == 1) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("select fingerprint, status, location, body from idempotency_key "
                        + "where scope = ?1 and idempotency_key = ?2")
                .setParameter(1, scope).setParameter(2, key).getResultList();
        Object[] row = rows.get(0);
        return Optional.of(new IdempotentRequest((String) row[0], ((Number) row[1]).intValue(), (String) row[2], (String) row[3]));
    }

    @Override
    public void complete(String scope, String key, int status, String location, String body) {
        entityManager.createNativeQuery("update idempotency_key set status = ?3, location = ?4, body = ?5 "
                        + "where scope = ?1 and idempotency_key = ?2")
                .setParameter(1, scope).setParameter(2, key).setParameter(3, status).setParameter(4, location)
                .setParameter(5, body).executeUpdate();
    }

    /** Forgets keys older than the retention; a retry after that creates again. */
    /** Deletes the keys older than {@code retention}, in a transaction of its own if the caller has none. */
    @Transactional
    public int purgeOlderThan(java.time.Duration retention) {
        return entityManager.createNativeQuery("delete from idempotency_key where created_at < now() - make_interval(secs => ?1)")
                .setParameter(1, (double) retention.toSeconds()).executeUpdate();
    }
}
