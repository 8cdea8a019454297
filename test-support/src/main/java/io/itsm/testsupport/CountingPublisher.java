package io.itsm.testsupport;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.itsm.events.outbox.OutboxEntry;
import io.itsm.events.outbox.OutboxPublisher;
import io.itsm.events.outbox.PendingEvent;

/** Publishes through another publisher and counts how often a store asked it which events are published already. */
public class CountingPublisher implements OutboxPublisher {

    private final OutboxPublisher delegate;
    private final AtomicInteger asked = new AtomicInteger();

    public CountingPublisher(OutboxPublisher delegate) {
        this.delegate = delegate;
    }

    @Override
    public Set<UUID> publish(List<OutboxEntry> entries) {
        return delegate.publish(entries);
    }

    @Override
    public Set<UUID> alreadyPublished(Collection<PendingEvent> pending) {
        asked.incrementAndGet();
        return delegate.alreadyPublished(pending);
    }

    /** How many times {@link #alreadyPublished} was called. */
    public int asked() {
        return asked.get();
    }
}
