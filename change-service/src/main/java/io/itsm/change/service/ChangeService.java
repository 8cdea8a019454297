package io.itsm.change.service;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.itsm.change.ChangeRequest;
import io.itsm.change.ChangeType;
import io.itsm.change.mapping.ChangeMapper;
import io.itsm.change.mapping.ChangeView;
import io.itsm.events.Aggregate;
import io.itsm.events.postgres.quarkus.TransactionalOutbox;
import io.itsm.rest.ProblemException;
import io.quarkus.panache.common.Sort;

/** The change practice's transaction boundary: every state change and its event commit together. */
@ApplicationScoped
public class ChangeService {

    @Inject
    EntityManager entityManager;

    @Inject
    TransactionalOutbox outbox;

    Clock clock = Clock.systemUTC();

    /** What a caller supplies to raise a change. */
    public record RaiseChange(ChangeType type, String shortDescription, String description, String requestedBy,
                              Instant plannedStart, Instant plannedEnd) {
    }

    @Transactional
    public ChangeView raise(RaiseChange command) {
        ChangeRequest change;
        try {
            change = ChangeRequest.raise(nextNumber(), command.type(), command.shortDescription(), command.description(),
                    command.requestedBy(), command.plannedStart(), command.plannedEnd(),
                    Instant.now(clock).truncatedTo(ChronoUnit.MICROS));
        } catch (IllegalArgumentException e) {
            throw ProblemException.unprocessable("plannedEnd", "must be after plannedStart");
        }
        change.persist();
        entityManager.flush(); // the version is assigned by the flush; the event must carry it
        ChangeView view = ChangeMapper.toView(change);
        outbox.publish(Aggregate.CHANGE, change.id.toString(), "created", new ChangeEventData(view, List.of()));
        return view;
    }

    @Transactional
    public Optional<ChangeView> find(UUID id) {
        return ChangeRequest.<ChangeRequest>findByIdOptional(id).map(ChangeMapper::toView);
    }

    @Transactional
    public List<ChangeView> newest(int limit) {
        return ChangeRequest.<ChangeRequest>findAll(Sort.descending("createdAt").and("id", Sort.Direction.Descending))
                .page(0, limit).list().stream().map(ChangeMapper::toView).toList();
    }

    private String nextNumber() {
        Number next = (Number) entityManager.createNativeQuery("select nextval('change_number_seq')").getSingleResult();
        return String.format("CHG%07d", next.longValue());
    }
}
