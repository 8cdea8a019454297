package io.itsm.rest;

import jakarta.ws.rs.core.EntityTag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The suite's optimistic concurrency over HTTP: a strong ETag derived from the resource's {@code version},
 * and an {@code If-Match} that every update must send (428 without it, 412 when stale).
 */
public final class EntityTags {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EntityTags() {
    }

    /** The {@code version} of a resource's JSON representation, e.g. of a create response replayed for an Idempotency-Key. */
    public static long versionOf(String json) {
        try {
            return JSON.readTree(json).path("version").asLong();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored representation is not JSON", e);
        }
    }

    public static EntityTag of(long version) {
        return new EntityTag(Long.toString(version));
    }

    /**
     * Checks the client's {@code If-Match} against the current version.
     *
     * @throws ProblemException 428 when the header is absent, 412 when it does not name the current version
     */
    public static void requireMatch(String ifMatch, long currentVersion) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new ProblemException(428, "precondition-required", "Precondition required",
                    "this update requires an If-Match header with the resource's current ETag");
        }
        String expected = of(currentVersion).toString();
        for (String candidate : ifMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(expected)) {
                return;
            }
        }
        throw new ProblemException(412, "precondition-failed", "Precondition failed",
                "If-Match " + ifMatch.trim() + " does not match the current ETag " + expected
                        + ": the resource was changed by someone else; read it again and retry");
    }
}
