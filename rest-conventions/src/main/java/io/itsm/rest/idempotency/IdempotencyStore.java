package io.itsm.rest.idempotency;

import java.util.Optional;

/**
 * Where a service keeps the {@code Idempotency-Key}s of its creating requests, in its own datastore and in the
 * transaction of the creation, so that a key is recorded exactly when the resource it created exists.
 */
public interface IdempotencyStore {

    /**
     * Claims a key for a request, or finds who claimed it first. When the key is new, it is recorded with the
     * request's fingerprint and {@code Optional.empty()} is returned: go on and create. When another request
     * holds it, waits until that request's transaction ends and returns its record.
     */
    Optional<IdempotentRequest> claim(String scope, String key, String fingerprint);

    /** Records the response of a request that claimed its key, in the same transaction as the creation. */
    void complete(String scope, String key, int status, String location, String body);
}
