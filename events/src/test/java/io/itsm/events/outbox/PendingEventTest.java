package io.itsm.events.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class PendingEventTest {

    private static PendingEvent event(String aggregate) {
        return new PendingEvent(UUID.randomUUID(), aggregate, "itsm.incident.events", Instant.now());
    }

    @Test
    void onlyThePublishedEventsBeforeTheFirstUnpublishedOneOfTheirAggregateMayBeForgotten() {
        PendingEvent a1 = event("a"), b1 = event("b"), a2 = event("a"), b2 = event("b"), a3 = event("a"), c1 = event("c");
        List<PendingEvent> inOrder = List.of(a1, b1, a2, b2, a3, c1);
        // a: 1 and 3 published, 2 not -> only 1; b: 1 not, 2 published -> none; c: not published -> none
        Set<UUID> published = Set.of(a1.id(), a3.id(), b2.id());

        assertThat(PendingEvent.publishedPrefixes(inOrder, published)).containsExactlyInAnyOrder(a1.id());
    }

    @Test
    void aWholeBatchPublishedIsForgottenWhole() {
        List<PendingEvent> inOrder = List.of(event("a"), event("b"), event("a"));
        Set<UUID> all = Set.of(inOrder.get(0).id(), inOrder.get(1).id(), inOrder.get(2).id());

        assertThat(PendingEvent.publishedPrefixes(inOrder, all)).isEqualTo(all);
        assertThat(PendingEvent.publishedPrefixes(inOrder, Set.of())).isEmpty();
    }
}
