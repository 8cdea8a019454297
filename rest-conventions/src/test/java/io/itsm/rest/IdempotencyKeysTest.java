package io.itsm.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.itsm.rest.idempotency.IdempotencyKeys;
import io.itsm.rest.idempotency.IdempotencyStore;
import io.itsm.rest.idempotency.IdempotentRequest;

/**
 * The Idempotency-Key rule itself (same key + same body → first answer; other body → 422). The PostgreSQL store
 * and concurrency are tested against a real database in the services.
 */
class IdempotencyKeysTest {

    record Body(String name, int size) {
    }

    /** A map standing in for the datastore: this test is about the rule, not the storage. */
    static final class MapStore implements IdempotencyStore {
        final Map<String, IdempotentRequest> rows = new HashMap<>();

        @Override
        public Optional<IdempotentRequest> claim(String scope, String key, String fingerprint) {
            IdempotentRequest prior = rows.putIfAbsent(scope + "|" + key, new IdempotentRequest(fingerprint, 0, null, null));
            return Optional.ofNullable(prior);
        }

        @Override
        public void complete(String scope, String key, int status, String location, String body) {
            rows.computeIfPresent(scope + "|" + key, (k, r) -> new IdempotentRequest(r.fingerprint(), status, location, body));
        }
    }

    private final MapStore store = new MapStore();
    private final AtomicInteger created = new AtomicInteger();

    private IdempotencyKeys.Created create(String key, Body body) {
        return IdempotencyKeys.create(store, "POST /things", key, body, () -> {
            int n = created.incrementAndGet();
            return new IdempotencyKeys.Created(201, "/things/" + n, "{\"n\":" + n + ",\"version\":" + n + "}", n, false);
        });
    }

    @Test
    void sameKeyAndBodyAnswersTheFirstResponse() {
        IdempotencyKeys.Created first = create("k1", new Body("a", 1));
        IdempotencyKeys.Created again = create("k1", new Body("a", 1));
        assertThat(created).hasValue(1);
        assertThat(first.replayed()).isFalse();
        assertThat(again.replayed()).isTrue();
        assertThat(again.location()).isEqualTo(first.location());
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.version()).isEqualTo(first.version()).isEqualTo(1); // read back from the stored body
        assertThat(again.status()).isEqualTo(201);
    }

    @Test
    void sameKeyWithAnotherBodyIs422() {
        create("k2", new Body("a", 1));
        assertThatThrownBy(() -> create("k2", new Body("a", 2)))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.errors()).extracting(Problem.FieldError::field).containsExactly("Idempotency-Key");
                });
        assertThat(created).hasValue(1);
    }

    @Test
    void withoutKeyEveryRequestCreatesAndKeysAreScoped() {
        create(null, new Body("a", 1));
        create(null, new Body("a", 1));
        assertThat(created).hasValue(2);
        IdempotencyKeys.create(store, "POST /others", "k3", new Body("a", 1), () -> new IdempotencyKeys.Created(201, "/o/1", "{}", 0, false));
        create("k3", new Body("a", 1));
        assertThat(created).hasValue(3);
    }

    @Test
    void malformedKeysAre400() {
        for (String key : new String[] {"", "  ", "x".repeat(256)}) {
            assertThatThrownBy(() -> create(key, new Body("a", 1)))
                    .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
        assertThat(created).hasValue(0);
    }
}
