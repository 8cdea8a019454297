package io.itsm.change.blackout;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.itsm.change.service.ChangeService;
import io.itsm.rest.EntityTags;
import io.itsm.rest.ProblemException;
import io.itsm.rest.paging.Page;
import io.itsm.rest.paging.SortKey;
import io.itsm.rest.paging.SortOrder;
import io.itsm.rest.patch.PatchedInput;
import io.itsm.rest.postgres.KeysetQuery;
import io.itsm.rest.postgres.SortableField;
import io.itsm.rest.security.Actor;

/**
 * Blackout windows, and what they do to changes: every create, move or delete re-evaluates the conflicts of the
 * open changes planned in the old and the new period, in the same transaction.
 */
@ApplicationScoped
public class BlackoutWindowService {

    private static final Map<String, String> READ_ONLY = Map.of("id", "is read-only", "version", "is read-only",
            "createdBy", "is read-only", "createdAt", "is read-only", "updatedAt", "is read-only");

    private static final List<SortableField<BlackoutWindow>> SORTABLE = List.of(
            new SortableField<BlackoutWindow>("startsAt", "w.startsAt", BlackoutWindow::startsAt, Instant::parse),
            new SortableField<BlackoutWindow>("endsAt", "w.endsAt", BlackoutWindow::endsAt, Instant::parse),
            new SortableField<BlackoutWindow>("name", "w.name", BlackoutWindow::name, text -> text),
            new SortableField<BlackoutWindow>("createdAt", "w.createdAt", w -> w.createdAt, Instant::parse));
    private static final SortableField<BlackoutWindow> BY_ID = new SortableField<>("id", "w.id", w -> w.id, UUID::fromString);
    private static final List<SortKey> SOONEST_FIRST = List.of(new SortKey("startsAt", false));

    @Inject
    ChangeService changes;

    @Inject
    EntityManager entityManager;

    @Inject
    ObjectMapper objectMapper;

    @Inject
    Validator validator;

    @Inject
    Clock clock;

    @Transactional
    public BlackoutWindowView create(BlackoutWindowInput input, Actor actor) {
        BlackoutWindow window = BlackoutWindow.create(input, actor.name(), now());
        window.persistAndFlush();
        changes.reevaluateChangesDuring(window.startsAt(), window.endsAt(), actor);
        return BlackoutWindowView.of(window);
    }

    /** @throws ProblemException 404, 428/412, 400, 422 (ends before it starts) */
    @Transactional
    public BlackoutWindowView update(UUID id, String ifMatch, JsonNode patch, Actor actor) {
        BlackoutWindow window = load(id);
        EntityTags.requireMatch(ifMatch, window.version);
        Instant oldStart = window.startsAt();
        Instant oldEnd = window.endsAt();
        window.apply(PatchedInput.apply(window.input(), patch, READ_ONLY, objectMapper, validator), now());
        window.persistAndFlush();
        changes.reevaluateChangesDuring(oldStart.isBefore(window.startsAt()) ? oldStart : window.startsAt(),
                oldEnd.isAfter(window.endsAt()) ? oldEnd : window.endsAt(), actor);
        return BlackoutWindowView.of(window);
    }

    /** @throws ProblemException 404, 428/412 */
    @Transactional
    public void delete(UUID id, String ifMatch, Actor actor) {
        BlackoutWindow window = load(id);
        EntityTags.requireMatch(ifMatch, window.version);
        window.delete();
        BlackoutWindow.flush();
        changes.reevaluateChangesDuring(window.startsAt(), window.endsAt(), actor);
    }

    @Transactional
    public BlackoutWindowView find(UUID id) {
        return BlackoutWindowView.of(load(id));
    }

    /**
     * One page of windows: those that end after {@code endingAfter} (all when null), that cover {@code ci} (a window
     * naming no CI covers every CI) and whose name or description contains {@code text}; soonest first by default.
     *
     * @throws ProblemException 400 for an unknown sort field or a foreign cursor
     */
    @Transactional
    public Page<BlackoutWindowView> list(Instant endingAfter, UUID ci, String text, String sort, String cursor, int limit, boolean count) {
        KeysetQuery<BlackoutWindow> keyset = new KeysetQuery<>(BlackoutWindow.class, "w", SORTABLE, BY_ID);
        List<SortKey> order = SortOrder.parse(sort, keyset.sortableFields(), SOONEST_FIRST);
        if (endingAfter != null) {
            keyset.where("w.endsAt > :endingAfter", "endingAfter", endingAfter);
        }
        if (ci != null) {
            keyset.where("(w.configurationItemIds is empty or :ci member of w.configurationItemIds)", "ci", ci);
        }
        keyset.whereContains(text, "w.name", "w.description");
        return keyset.fetch(entityManager, order, cursor, limit, count).map(BlackoutWindowView::of);
    }

    private static BlackoutWindow load(UUID id) {
        return BlackoutWindow.<BlackoutWindow>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("blackout window", id));
    }

    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }
}
