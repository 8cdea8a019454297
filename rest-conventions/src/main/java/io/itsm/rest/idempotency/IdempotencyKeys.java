package io.itsm.rest.idempotency;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.MapperFeature;

import io.itsm.rest.EntityTags;
import io.itsm.rest.Problem;
import io.itsm.rest.ProblemException;

/**
 * The suite's {@code Idempotency-Key} rule for creating POSTs: the same key with the same body answers the
 * first response again and creates nothing; the same key with another body is refused with 422. Without a
 * key, the request simply creates. Call {@link #create} inside the transaction that creates the resource.
 */
public final class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    public static final int MAX_KEY_LENGTH = 255;

    /** Field order and formatting must not change a fingerprint: sort keys, no indentation. */
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .findAndAddModules()
            .build();

    private IdempotencyKeys() {
    }

    /** What a creating request answers: a status, a Location, the JSON body and the version it shows (the ETag). */
    public record Created(int status, String location, String body, long version, boolean replayed) {
    }

    /**
     * Creates once per key: runs {@code creation} when the key is absent or new, otherwise answers the first
     * request's response again.
     *
     * @param scope    what the key is unique within, e.g. {@code "POST /api/incidents"} plus the caller
     * @param request  the request body; its canonical JSON is the fingerprint
     * @throws ProblemException 400 for a malformed key, 422 when the key was used with another body
     */
    public static Created create(IdempotencyStore store, String scope, String key, Object request,
                                 Supplier<Created> creation) {
        if (key == null) {
            return creation.get();
        }
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw ProblemException.invalid(HEADER, "must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        String fingerprint = fingerprint(request);
        Optional<IdempotentRequest> first = store.claim(scope, key, fingerprint);
        if (first.isEmpty()) {
            Created created = creation.get();
            store.complete(scope, key, created.status(), created.location(), created.body());
            return created;
        }
        IdempotentRequest prior = first.get();
        if (!prior.fingerprint().equals(fingerprint)) {
            throw reused(key);
        }
        return new Created(prior.status(), prior.location(), prior.body(), EntityTags.versionOf(prior.body()), true);
    }

    /**
     * The fingerprint of a request body (SHA-256 of its canonical JSON), for a store that keeps the key inside the
     * created resource itself (e.g. a MongoDB document keyed by it) instead of in an {@link IdempotencyStore}.
     *
     * @throws ProblemException 400 for a malformed key
     */
    public static String fingerprintOf(String key, Object request) {
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw ProblemException.invalid(HEADER, "must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        return fingerprint(request);
    }

    /** 422: the key was used before with another body. */
    public static ProblemException reused(String key) {
        return new ProblemException(422, "idempotency-key-reused", "Idempotency-Key reused",
                "Idempotency-Key " + key + " was already used with a different request body; use a new key for a new request",
                List.of(new Problem.FieldError(HEADER, "was already used with a different request body")));
    }

    static String fingerprint(Object request) {
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(request);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("request is not serialisable: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
