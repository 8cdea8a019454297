package io.itsm.change.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.itsm.change.ChangeRequest;
import io.itsm.change.mapping.ChangeMapper;
import io.itsm.change.mapping.ChangeView;
import io.itsm.rest.ProblemException;
import io.itsm.rest.paging.Page;
import io.itsm.rest.paging.SortKey;
import io.itsm.rest.paging.SortOrder;
import io.itsm.rest.postgres.KeysetQuery;
import io.itsm.rest.postgres.SortableField;

/**
 * The read side of change requests: filtered keyset lists. Reads run without a transaction (Hibernate's session then
 * lives as long as the request): each statement commits on its own, which under PostgreSQL's read committed gives it
 * the same snapshot a transaction would, and saves the {@code COMMIT} round trip.
 */
@ApplicationScoped
public class ChangeQueries {

    private static final List<SortableField<ChangeRequest>> SORTABLE = List.of(
            new SortableField<ChangeRequest>("createdAt", "c.createdAt", c -> c.createdAt, Instant::parse),
            new SortableField<ChangeRequest>("updatedAt", "c.updatedAt", c -> c.updatedAt, Instant::parse),
            new SortableField<ChangeRequest>("riskScore", "c.riskScore", ChangeRequest::riskScore, Integer::valueOf),
            new SortableField<ChangeRequest>("number", "c.number", c -> c.number, text -> text));
    private static final SortableField<ChangeRequest> BY_ID = new SortableField<>("id", "c.id", c -> c.id, UUID::fromString);
    private static final List<SortKey> NEWEST_FIRST = List.of(new SortKey("createdAt", true));

    @Inject
    EntityManager entityManager;

    @Inject
    ChangeMapper mapper;

    /**
     * One page of changes matching {@code query}, in {@code sort} order (default newest first).
     *
     * @throws ProblemException 400 for an unknown sort field or a foreign cursor
     */
    public Page<ChangeView> list(ChangeQuery query, String sort, String cursor, int limit, boolean count) {
        KeysetQuery<ChangeRequest> keyset = new KeysetQuery<>(ChangeRequest.class, "c", SORTABLE, BY_ID);
        List<SortKey> order = SortOrder.parse(sort, keyset.sortableFields(), NEWEST_FIRST);
        if (!query.numbers().isEmpty()) {
            keyset.where("c.number in :numbers", "numbers", query.numbers());
        }
        if (!query.states().isEmpty()) {
            keyset.where("c.state in :states", "states", query.states());
        }
        if (!query.types().isEmpty()) {
            keyset.where("c.type in :types", "types", query.types());
        }
        if (!query.risks().isEmpty()) {
            keyset.where("c.risk in :risks", "risks", query.risks());
        }
        if (query.assignmentGroup() != null) {
            keyset.where("c.assignmentGroup = :assignmentGroup", "assignmentGroup", query.assignmentGroup());
        }
        if (query.assignee() != null) {
            keyset.where("c.assignee = :assignee", "assignee", query.assignee());
        }
        if (query.requestedBy() != null) {
            keyset.where("c.requestedBy = :requestedBy", "requestedBy", query.requestedBy());
        }
        if (query.configurationItemId() != null) {
            keyset.where(":ci member of c.configurationItemIds", "ci", query.configurationItemId());
        }
        if (query.plannedStartAfter() != null) {
            keyset.where("c.plannedStart >= :after", "after", query.plannedStartAfter());
        }
        if (query.plannedStartBefore() != null) {
            keyset.where("c.plannedStart < :before", "before", query.plannedStartBefore());
        }
        keyset.whereContains(query.text(), "c.number", "c.shortDescription", "c.description");
        Page<ChangeRequest> page = keyset.fetch(entityManager, order, cursor, limit, count);
        return page.map(mapper::toView);
    }
}
