package io.itsm.change.blackout;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.itsm.change.service.ChangeService;
import io.itsm.rest.EntityTags;
import io.itsm.rest.ProblemException;
import io.itsm.rest.patch.PatchedInput;
import io.itsm.rest.security.Actor;
import io.quarkus.panache.common.Sort;

/**
 * Blackout windows, and what they do to changes: every create, move or delete re-evaluates the conflicts of the
 * open changes planned in the old and the new period, in the same transaction.
 */
@ApplicationScoped
public class BlackoutWindowService {

    private static final Map<String, String> READ_ONLY = Map.of("id", "is read-only", "version", "is read-only",
            "createdBy", "is read-only", "createdAt", "is read-only", "updatedAt", "is read-only");

    @Inject
    ChangeService changes;

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

    /** The windows that end after {@code after} (all when null), soonest first. */
    @Transactional
    public List<BlackoutWindowView> list(Instant after) {
        List<BlackoutWindow> windows = after == null ? BlackoutWindow.listAll(Sort.ascending("startsAt", "id"))
                : BlackoutWindow.list("endsAt > ?1", Sort.ascending("startsAt", "id"), after);
        return windows.stream().map(BlackoutWindowView::of).toList();
    }

    private static BlackoutWindow load(UUID id) {
        return BlackoutWindow.<BlackoutWindow>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("blackout window", id));
    }

    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }
}
