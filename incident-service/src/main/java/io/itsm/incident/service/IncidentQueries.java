package io.itsm.incident.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.itsm.incident.Incident;
import io.itsm.incident.history.HistoryEntry;
import io.itsm.incident.history.IncidentJournal;
import io.itsm.incident.history.Note;
import io.itsm.incident.history.NoteVisibility;
import io.itsm.incident.mapping.IncidentMapper;
import io.itsm.incident.mapping.IncidentView;
import io.itsm.rest.ProblemException;
import io.itsm.rest.paging.InMemoryPages;
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
    private static final SortableField<HistoryEntry> HISTORY_TIME = new SortableField<>("at", "h.at", h -> h.at, Instant::parse);
    private static final SortableField<HistoryEntry> HISTORY_ID = new SortableField<>("id", "h.id", h -> h.id, Long::valueOf);
    private static final List<SortKey> OLDEST_FIRST = List.of(new SortKey("at", false));
    private static final SortableField<Note> NOTE_TIME = new SortableField<>("createdAt", "n.createdAt", n -> n.createdAt, Instant::parse);
    private static final SortableField<Note> NOTE_ID = new SortableField<>("id", "n.id", n -> n.id, UUID::fromString);
    private static final List<SortKey> NOTES_OLDEST_FIRST = List.of(new SortKey("createdAt", false));

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
        if (!query.numbers().isEmpty()) {
            keyset.where("i.number in :numbers", "numbers", query.numbers());
        }
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

    /** A page of the incident's history, oldest first. @throws ProblemException 404; 400 a bad cursor */
    public Page<IncidentJournal.Change> history(UUID id, String cursor, int limit, boolean count) {
        incidents.requireExists(id);
        KeysetQuery<HistoryEntry> keyset = new KeysetQuery<>(HistoryEntry.class, "h", List.of(HISTORY_TIME), HISTORY_ID)
                .where("h.incidentId = :incident", "incident", id);
        return keyset.fetch(entityManager, OLDEST_FIRST, cursor, limit, count).map(journal::change);
    }

    /** A page of the incident's timeline, oldest first. @throws ProblemException 404; 400 a bad cursor */
    public Page<IncidentJournal.TimelineEntry> timeline(UUID id, String cursor, int limit, boolean count) {
        incidents.requireExists(id);
        return InMemoryPages.page(journal.timeline(id), TIMELINE, cursor, limit, count).map(IncidentJournal.Placed::entry);
    }

    private static final InMemoryPages.Order<IncidentJournal.Placed> TIMELINE = new InMemoryPages.Order<>("timeline", 3,
            p -> List.of(p.entry().at().toString(), Integer.toString(p.rank()), p.key()), (p, after) -> {
                int byTime = p.entry().at().compareTo(java.time.Instant.parse(after.get(0)));
                int byKind = Integer.compare(p.rank(), Integer.parseInt(after.get(1)));
                return byTime > 0 || byTime == 0 && (byKind > 0 || byKind == 0 && p.key().compareTo(after.get(2)) > 0);
            });

    /** A page of the incident's notes of {@code visibility} (all when null), oldest first. @throws ProblemException 404; 400 a bad cursor */
    public Page<Note> notes(UUID id, NoteVisibility visibility, String cursor, int limit, boolean count) {
        incidents.requireExists(id);
        KeysetQuery<Note> keyset = new KeysetQuery<>(Note.class, "n", List.of(NOTE_TIME), NOTE_ID).where("n.incidentId = :incident", "incident", id);
        if (visibility != null) {
            keyset.where("n.visibility = :visibility", "visibility", visibility);
        }
        return keyset.fetch(entityManager, NOTES_OLDEST_FIRST, cursor, limit, count);
    }
}
