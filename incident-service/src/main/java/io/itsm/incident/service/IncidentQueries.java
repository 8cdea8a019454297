package io.itsm.incident.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.itsm.incident.Incident;
import io.itsm.incident.history.IncidentJournal;
import io.itsm.incident.history.Note;
import io.itsm.incident.history.NoteVisibility;
import io.itsm.incident.mapping.IncidentMapper;
import io.itsm.incident.mapping.IncidentView;
import io.itsm.rest.ProblemException;
import io.itsm.rest.paging.Page;
import io.itsm.rest.paging.SortKey;
import io.itsm.rest.paging.SortOrder;
import io.itsm.rest.postgres.KeysetQuery;
import io.itsm.rest.postgres.SortableField;

/**
 * The read side of incidents: filtered keyset lists, history, notes and the timeline. Reads run without a transaction
 * (Hibernate's session then lives as long as the request): each statement commits on its own, which under PostgreSQL's
 * read committed gives it the same snapshot a transaction would, and saves the {@code COMMIT} round trip.
 */
@ApplicationScoped
public class IncidentQueries {

    private static final List<SortableField<Incident>> SORTABLE = List.of(
            new SortableField<>("priority", "i.priority", Incident::priority, Integer::valueOf),
            new SortableField<Incident>("openedAt", "i.openedAt", i -> i.openedAt, Instant::parse),
            new SortableField<Incident>("updatedAt", "i.updatedAt", i -> i.updatedAt, Instant::parse),
            new SortableField<Incident>("number", "i.number", i -> i.number, text -> text));
    private static final SortableField<Incident> BY_ID = new SortableField<>("id", "i.id", i -> i.id, UUID::fromString);
    private static final List<SortKey> NEWEST_FIRST = List.of(new SortKey("openedAt", true));

    @Inject
    EntityManager entityManager;

    @Inject
    IncidentJournal journal;

    @Inject
    IncidentService incidents;

    @Inject
    Clock clock;

    /**
     * One page of incidents matching {@code query}, in {@code sort} order (default newest first).
     *
     * @throws ProblemException 400 for an unknown sort field or a foreign cursor
     */
    public Page<IncidentView> list(IncidentQuery query, String sort, String cursor, int limit, boolean count) {
        KeysetQuery<Incident> keyset = new KeysetQuery<>(Incident.class, "i", SORTABLE, BY_ID);
        List<SortKey> order = SortOrder.parse(sort, keyset.sortableFields(), NEWEST_FIRST);
        if (!query.states().isEmpty()) {
            keyset.where("i.state in :states", "states", query.states());
        }
        if (!query.priorities().isEmpty()) {
            keyset.where("i.priority in :priorities", "priorities", query.priorities());
        }
        if (query.assignmentGroup() != null) {
            keyset.where("i.assignmentGroup = :assignmentGroup", "assignmentGroup", query.assignmentGroup());
        }
        if (query.assignee() != null) {
            keyset.where("i.assignee = :assignee", "assignee", query.assignee());
        }
        if (query.caller() != null) {
            keyset.where("i.caller = :caller", "caller", query.caller());
        }
        if (query.configurationItemId() != null) {
            keyset.where(":ci member of i.configurationItemIds", "ci", query.configurationItemId());
        }
        if (query.majorIncident() != null) {
            keyset.where("i.majorIncident = :major", "major", query.majorIncident());
        }
        if (query.parentIncidentId() != null) {
            keyset.where("i.parentIncidentId = :parent", "parent", query.parentIncidentId());
        }
        if (query.openedAfter() != null) {
            keyset.where("i.openedAt >= :openedAfter", "openedAfter", query.openedAfter());
        }
        if (query.openedBefore() != null) {
            keyset.where("i.openedAt < :openedBefore", "openedBefore", query.openedBefore());
        }
        if (query.slaBreached() != null) {
            keyset.where(query.slaBreached() ? "(i.sla.responseBreached = true or i.sla.resolutionBreached = true)"
                    : "(i.sla.responseBreached = false and i.sla.resolutionBreached = false)");
        }
        keyset.whereContains(query.text(), "i.number", "i.shortDescription", "i.description");
        Page<Incident> page = keyset.fetch(entityManager, order, cursor, limit, count);
        Instant now = Instant.now(clock);
        return page.map(i -> IncidentMapper.toView(i, now));
    }

    public List<IncidentJournal.Change> history(UUID id) {
        incidents.requireExists(id);
        return journal.history(id);
    }

    public List<IncidentJournal.TimelineEntry> timeline(UUID id) {
        incidents.requireExists(id);
        return journal.timeline(id);
    }

    public List<Note> notes(UUID id, NoteVisibility visibility) {
        incidents.requireExists(id);
        return journal.notes(id, visibility);
    }
}
