package io.itsm.cmdb.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.itsm.cmdb.classes.CiClassService;
import io.itsm.cmdb.classes.ClassHierarchy;
import io.itsm.cmdb.domain.CiEventData;
import io.itsm.cmdb.history.HistoryProjector;
import io.itsm.cmdb.domain.CiRevision;
import io.itsm.cmdb.domain.CiStatus;
import io.itsm.cmdb.domain.ConfigurationItem;
import io.itsm.cmdb.domain.Relationship;
import io.itsm.cmdb.repository.BsonValues;
import io.itsm.cmdb.repository.CiHistoryRepository;
import io.itsm.cmdb.repository.CiListing;
import io.itsm.cmdb.repository.CiNumberSequence;
import io.itsm.cmdb.repository.CiRepository;
import io.itsm.cmdb.repository.CmdbDatabase;
import io.itsm.cmdb.repository.IdentityIndex;
import io.itsm.cmdb.repository.PendingJoins;
import io.itsm.cmdb.repository.RelationshipRepository;
import io.itsm.events.EventTypes;
import io.itsm.events.FieldChange;
import io.itsm.events.mongodb.quarkus.DocumentOutbox;
import io.itsm.events.outbox.OutboxEntry;
import io.itsm.rest.EntityTags;
import io.itsm.rest.Problem;
import io.itsm.rest.ProblemException;
import io.itsm.rest.paging.InMemoryPages;
import io.itsm.rest.paging.Page;
import io.itsm.rest.paging.SortOrder;
import io.itsm.rest.idempotency.IdempotencyKeys;
import io.itsm.rest.patch.PatchedInput;

/**
 * The CI use cases. Each change computes the CI's new state, builds its event and the revision it ends from exactly that
 * state, and hands all three to the repository for one single-document write; the relay is woken once it succeeded.
 */
@ApplicationScoped
public class CiService {

    /** The source of changes made through the REST API (imports name their own, e.g. discovery). */
    public static final String API_SOURCE = "api";
    static final CiStatus DEFAULT_STATUS = CiStatus.INSTALLED;
    static final int DEFAULT_CRITICALITY = 3;
    private static final int SYSTEM_RETRIES = 5;
    /** Rounds of a retire or reclassification while relationships are being made with the CI. */
    private static final int UNRELATED_ATTEMPTS = 3;
    private static final Map<String, String> READ_ONLY = Map.of(
            "id", "is assigned by the service", "number", "is assigned by the service", "version", "is set by the service",
            "createdAt", "is set by the service", "updatedAt", "is set by the service",
            "underChange", "follows the change requests being implemented (itsm.change.events)");

    @Inject
    CiRepository repository;

    @Inject
    CiHistoryRepository history;

    @Inject
    CiListing listing;

    @Inject
    IdentityIndex identity;

    @Inject
    PendingJoins pendingJoins;

    @Inject
    HistoryProjector historyProjector;

    @Inject
    CiNumberSequence numbers;

    @Inject
    DocumentOutbox outbox;

    @Inject
    RelationshipRepository relationships;

    @Inject
    RelationshipService relationshipService;

    @Inject
    CiClassService classService;

    @Inject
    ObjectMapper json;

    @Inject
    Validator validator;

    /** @throws ProblemException 422 unknown class, 400 attributes the class refuses */
    public ConfigurationItem create(CiInput input, String actor, String source) {
        return create(input, actor, source, null).ci();
    }

    /** A created CI, or the one a request with the same Idempotency-Key created before ({@code replayed}). */
    public record Created(ConfigurationItem ci, boolean replayed) {
    }

    /**
     * Creates a CI once per {@code Idempotency-Key} of the caller: the CI's id is derived from the key, so the insert is
     * the claim, atomic without transactions. A repeat with the same body answers the CI as it was created; with another
     * body, 422.
     *
     * @throws ProblemException 422 unknown class or a reused key, 400 attributes the class refuses or a malformed key
     */
    public Created create(CiInput input, String actor, String source, String idempotencyKey) {
        String fingerprint = idempotencyKey == null ? null : IdempotencyKeys.fingerprintOf(idempotencyKey, input);
        String id = idempotencyKey == null ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes(("POST /api/cmdb/cis|" + actor + "|" + idempotencyKey).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        if (fingerprint != null) {
            Optional<Created> before = replay(id, idempotencyKey, fingerprint);
            if (before.isPresent()) {
                return before.get();
            }
        }
        requireValidClassAndAttributes(input.ciClass(), input.attributes());
        if (input.status() == CiStatus.RETIRED) {
            throw ProblemException.invalid("status", "cannot be RETIRED for a new CI");
        }
        Instant now = now();
        ConfigurationItem ci = new ConfigurationItem(id, numbers.next(), input.ciClass(), input.name(),
                input.status() == null ? DEFAULT_STATUS : input.status(), input.environment(),
                input.criticality() == null ? DEFAULT_CRITICALITY : input.criticality(),
                input.owner(), input.supportGroup(), BsonValues.normalized(input.attributes()), null, 0, now, now);
        OutboxEntry created = outbox.eventOfType(EventTypes.CI_CREATED, id, new CiEventData(ci, List.of(), actor, source));
        identity.add(Map.of(id, identity.keysOf(ci, classService.hierarchy())));
        try {
            outbox.write(CmdbDatabase.CIS, List.of(id), () -> {
                repository.insert(ci, created, actor, source, fingerprint);
                return ci;
            });
        } catch (CiRepository.DuplicateIdException e) { // the same key at the same moment: the other request won
            return replay(id, idempotencyKey, fingerprint).orElseThrow();
        }
        return new Created(ci, false);
    }

    /** The CI an earlier request with this key created, as it was created; 422 when that request had another body. */
    private Optional<Created> replay(String id, String key, String fingerprint) {
        Optional<String> first = repository.idempotencyFingerprint(id);
        if (first.isEmpty()) {
            return Optional.empty();
        }
        if (!fingerprint.equals(first.get())) {
            throw IdempotencyKeys.reused(key);
        }
        ConfigurationItem now = repository.findEvenDeleted(id).orElseThrow().ci();
        ConfigurationItem asCreated = now.version() == 0 ? now
                : history.revisions(id).stream().filter(r -> r.state().version() == 0).findFirst().map(CiRevision::state).orElse(now);
        return Optional.of(new Created(asCreated, true));
    }

    /**
     * @throws ProblemException 422 when the class does not exist, 400 naming each attribute the class's schema refuses
     */
    void requireValidClassAndAttributes(String ciClass, Map<String, Object> attributes) {
        ClassHierarchy classes = classService.hierarchyKnowing(ciClass);
        if (!classes.exists(ciClass)) {
            throw ProblemException.unprocessable("ciClass", "names class " + ciClass + ", which does not exist (GET /api/cmdb/classes lists them)");
        }
        List<Problem.FieldError> errors = classes.validateAttributes(ciClass, attributes);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
    }

    public Optional<ConfigurationItem> find(String id) {
        return repository.find(id);
    }

    /** The 404 for a CI that {@link #find} or {@link #findAsOf} did not find: says when a deleted CI was deleted. */
    public ProblemException absent(String id, Instant asOf) {
        Optional<CiRepository.Found> found = repository.findEvenDeleted(id);
        if (found.isPresent() && found.get().deletedAsOf(asOf)) {
            return new ProblemException(404, "not-found", "Not found", "CI " + found.get().ci().number() + " was deleted at "
                    + found.get().deletedAt() + " by " + found.get().deletedBy() + "; its history stays at GET /api/cmdb/cis/" + id + "/history");
        }
        return ProblemException.notFound("CI", id + (asOf == null ? "" : " at " + asOf));
    }

    /** The CI as it was at {@code instant}: empty when it did not exist yet, was deleted by then, or never existed. */
    public Optional<ConfigurationItem> findAsOf(String id, Instant instant) {
        Optional<CiRepository.Found> found = repository.findEvenDeleted(id);
        if (found.isPresent() && found.get().deletedAsOf(instant)) {
            return Optional.empty();
        }
        Optional<ConfigurationItem> current = found.map(CiRepository.Found::ci);
        if (current.isEmpty() || current.get().createdAt().isAfter(instant)) {
            return Optional.empty();
        }
        if (!current.get().updatedAt().isAfter(instant)) {
            return current;
        }
        return history.revisionAt(id, instant).map(CiRevision::state);
    }

    /**
     * A page of the CI's history, oldest first: its creation, then one entry per later version.
     *
     * @throws ProblemException 404; 400 a bad cursor
     */
    public Page<HistoryEntry> history(String id, String cursor, int limit, boolean count) {
        return InMemoryPages.page(history(id), HistoryEntry.BY_VERSION, cursor, limit, count);
    }

    /**
     * Every change of the CI, oldest first: its creation, then one entry per later version (the last one its deletion,
     * when it was deleted: a deleted CI's history stays).
     *
     * @throws ProblemException 404
     */
    public List<HistoryEntry> history(String id) {
        ConfigurationItem current = repository.findEvenDeleted(id).map(CiRepository.Found::ci).orElseThrow(() -> ProblemException.notFound("CI", id));
        List<CiRevision> revisions = history.revisions(id);
        List<HistoryEntry> entries = new java.util.ArrayList<>();
        ConfigurationItem first = revisions.isEmpty() ? current : revisions.get(0).state();
        String[] creator = repository.creator(id).orElse(new String[2]);
        entries.add(new HistoryEntry(first.version(), EventTypes.CI_CREATED, first.createdAt(), creator[0], creator[1], List.of()));
        for (CiRevision r : revisions) {
            entries.add(new HistoryEntry(r.state().version() + 1, r.eventType(), r.validTo(), r.actor(), r.source(), r.changes()));
        }
        return entries;
    }

    /**
     * A page of CIs.
     *
     * @param ciClass a class: its CIs and its subclasses'
     * @throws ProblemException 400 unknown class, bad sort or cursor
     */
    public Page<ConfigurationItem> list(String ciClass, CiQuery filters, String sort, String cursor, int limit, boolean count) {
        CiQuery query = filters;
        if (ciClass != null) {
            ClassHierarchy classes = classService.hierarchyKnowing(ciClass);
            if (!classes.exists(ciClass)) {
                throw ProblemException.invalid("ciClass", "names class " + ciClass + ", which does not exist (GET /api/cmdb/classes lists them)");
            }
            query = new CiQuery(filters.numbers(), classes.selfAndDescendants(ciClass), filters.statuses(), filters.environments(), filters.criticalities(),
                    filters.owner(), filters.supportGroup(), filters.attributes(), filters.text());
        }
        return listing.list(query, SortOrder.parse(sort, CiListing.SORTABLE, CiListing.DEFAULT_ORDER), cursor, limit, count);
    }

    /**
     * Applies a JSON Merge Patch of the writable fields (attributes merge key by key) to the CI the client saw at
     * {@code ifMatch}. A patch that changes nothing answers the CI unchanged, with no new version and no event.
     *
     * @throws ProblemException 404, 428, 412, 409 (retired), 400 (invalid result), 422 (unknown class)
     */
    public ConfigurationItem update(String id, String ifMatch, JsonNode patch, String actor) {
        for (int attempt = 0; attempt < UNRELATED_ATTEMPTS; attempt++) {
            ConfigurationItem current = repository.find(id).orElseThrow(() -> ProblemException.notFound("CI", id));
            EntityTags.requireMatch(ifMatch, current.version());
            if (current.isRetired()) {
                throw ProblemException.conflict("CI " + current.number() + " is retired; a retired CI does not change");
            }
            CiInput input = PatchedInput.apply(CiInput.of(current), patch, READ_ONLY, json, validator);
            if (input.status() == CiStatus.RETIRED) {
                throw ProblemException.invalid("status", "cannot be set to RETIRED here: POST /api/cmdb/cis/{id}/retire retires a CI");
            }
            boolean reclassified = !input.ciClass().equals(current.ciClass());
            Long links = null;
            if (reclassified) {
                // read before looking for relationships: a relationship joined from here on moves it
                links = repository.links(id);
                if (!relationshipsOf(id, links).isEmpty()) {
                    throw ProblemException.conflict("CI " + current.number() + " has relationships; its class changes only without them "
                            + "(the relationship rules depend on it)");
                }
            }
            requireValidClassAndAttributes(input.ciClass(), input.attributes());
            ConfigurationItem after = current.with(input.ciClass(), input.name(), input.status() == null ? DEFAULT_STATUS : input.status(),
                    input.environment(), input.criticality() == null ? DEFAULT_CRITICALITY : input.criticality(), input.owner(),
                    input.supportGroup(), BsonValues.normalized(input.attributes()));
            Optional<ConfigurationItem> written = write(current, after, EventTypes.CI_UPDATED, actor, API_SOURCE,
                    reclassified ? counted(links) : null);
            if (written.isPresent()) {
                return written.get();
            }
            if (!reclassified) {
                throw stale(current);
            }
            // changed meanwhile, or a relationship was made: the next round answers 412 or 409, or writes
        }
        throw relatingMeanwhile(id);
    }

    /**
     * Retires a CI the client saw at the version named by {@code ifMatch}.
     *
     * @param deleteRelationships delete its active relationships first (each with its event); without it, a CI that
     *                            has any is refused, so no edge is left pointing at a retired CI by accident
     * @throws ProblemException 404 unknown CI, 428 no If-Match, 412 stale If-Match (also when the CI changes
     *                          between the check and the write), 409 already retired or still related
     */
    public ConfigurationItem retire(String id, String ifMatch, boolean deleteRelationships, String actor) {
        return withoutRelationships(id, ifMatch, deleteRelationships, "retire", actor, current -> {
            if (current.isRetired()) {
                throw ProblemException.conflict("CI " + current.number() + " is already retired");
            }
        }, (current, links) -> write(current, current.withStatus(CiStatus.RETIRED), EventTypes.CI_RETIRED, actor, API_SOURCE, links));
    }

    /**
     * Writes a CI that must have no relationship (retired, deleted): refuses one that has any unless
     * {@code deleteRelationships}, and writes only while no relationship was joined to it since it looked (see
     * {@link CiRepository#join}); when one was, it looks again.
     *
     * @param check   refuses the CI as it is now, with the reason
     * @param written the write, at the relationship count read before the look; empty when the CI changed meanwhile
     */
    private ConfigurationItem withoutRelationships(String id, String ifMatch, boolean deleteRelationships, String verb, String actor,
                                                   java.util.function.Consumer<ConfigurationItem> check,
                                                   java.util.function.BiFunction<ConfigurationItem, Long, Optional<ConfigurationItem>> written) {
        for (int attempt = 0; attempt < UNRELATED_ATTEMPTS; attempt++) {
            // read before looking for relationships: a relationship joined from here on moves it
            Long links = repository.links(id);
            ConfigurationItem current = repository.find(id).orElseThrow(() -> ProblemException.notFound("CI", id));
            EntityTags.requireMatch(ifMatch, current.version());
            check.accept(current);
            List<Relationship> edges = relationshipsOf(id, links);
            if (!edges.isEmpty() && !deleteRelationships) {
                throw ProblemException.conflict("CI " + current.number() + " has " + edges.size() + " active relationship"
                        + (edges.size() == 1 ? "" : "s") + "; delete them first, or " + verb + " with ?relationships=delete");
            }
            for (Relationship edge : edges) {
                relationshipService.delete(edge.id(), EntityTags.of(edge.version()).toString(), actor);
            }
            Optional<ConfigurationItem> done = written.apply(current, counted(links));
            if (done.isPresent()) {
                return done.get();
            }
            // changed meanwhile, or a relationship was made: the next round answers 412 or 409, or deletes it too
        }
        throw relatingMeanwhile(id);
    }

    /**
     * Deletes a CI the client saw at the version named by {@code ifMatch} (retired or not): every read leaves it out
     * from then on, but its history and its past states ({@code asOf}) stay. Publishes {@code itsm.ci.deleted} with its
     * last state.
     *
     * @param deleteRelationships delete its active relationships first (each with its event); without it, a CI that
     *                            has any is refused
     * @throws ProblemException 404 unknown (or deleted) CI, 428 no If-Match, 412 stale If-Match, 409 still related
     */
    public ConfigurationItem delete(String id, String ifMatch, boolean deleteRelationships, String actor) {
        return withoutRelationships(id, ifMatch, deleteRelationships, "delete", actor, current -> { }, (current, links) -> {
            ConfigurationItem last = current.nextVersion(now());
            List<FieldChange> changes = List.of(new FieldChange("deleted", false, true));
            OutboxEntry event = outbox.eventOfType(EventTypes.CI_DELETED, id, new CiEventData(last, changes, actor, API_SOURCE));
            CiRevision ended = new CiRevision(event.id().toString(), id, current, current.updatedAt(), last.updatedAt(), actor, API_SOURCE,
                    EventTypes.CI_DELETED, changes);
            Optional<ConfigurationItem> deleted = outbox.write(CmdbDatabase.CIS, List.of(id),
                    () -> repository.delete(last, current.version(), links, actor, event, ended));
            if (deleted.isPresent()) {
                historyProjector.wake(id);
                // identification no longer finds it: an import of the same identifiers creates a new CI
                identity.remove(Map.of(id, identity.keysOf(current, classService.hierarchy())));
            }
            return deleted;
        });
    }

    /**
     * The CI's active relationships, read from the store (it must see an edge another replica made a moment ago); none
     * without a look when no relationship was ever joined to it and none is being made (or was left unjoined by a maker
     * that stopped), which on the MongoDB-wire store saves a search of every relationship.
     */
    private List<Relationship> relationshipsOf(String id, Long links) {
        return links != null && links == 0 && !pendingJoins.mentions(id) ? List.of() : relationships.activeOf(id);
    }

    /** A CI stored before the relationship count existed has none counted: that is zero to the compare-and-swap. */
    private static long counted(Long links) {
        return links == null ? 0 : links;
    }

    private ProblemException relatingMeanwhile(String id) {
        return ProblemException.conflict("CI " + id + " keeps gaining relationships while this request runs; try again");
    }

    /**
     * A change the service makes on its own (an import, a change request's progress): re-reads and retries when
     * someone else wrote meanwhile. {@code edit} returns the CI unchanged when there is nothing to do.
     *
     * @return the CI after the change, or empty when it does not exist
     */
    public Optional<ConfigurationItem> changeAsSystem(String id, UnaryOperator<ConfigurationItem> edit, String actor, String source) {
        for (int attempt = 0; attempt < SYSTEM_RETRIES; attempt++) {
            Optional<ConfigurationItem> current = repository.find(id);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            Optional<ConfigurationItem> written = write(current.get(), edit.apply(current.get()), EventTypes.CI_UPDATED, actor, source);
            if (written.isPresent()) {
                return written;
            }
        }
        throw new IllegalStateException("CI " + id + " kept changing while " + source + " tried to change it");
    }

    /** An update by an import: {@link #write} with {@code itsm.ci.updated}. */
    public Optional<ConfigurationItem> writeAs(ConfigurationItem current, ConfigurationItem after, String actor, String source) {
        return write(current, after, EventTypes.CI_UPDATED, actor, source);
    }

    /**
     * Writes {@code after} over {@code current} with its event and the revision it ends, unless nothing changed.
     *
     * @return the stored CI ({@code current} when nothing changed), or empty when the CI changed since it was read
     */
    Optional<ConfigurationItem> write(ConfigurationItem current, ConfigurationItem after, String eventType, String actor, String source) {
        return write(current, after, eventType, actor, source, null);
    }

    /** {@link #write}, and with {@code expectedLinks} only while no relationship was joined to the CI since then. */
    private Optional<ConfigurationItem> write(ConfigurationItem current, ConfigurationItem after, String eventType, String actor, String source,
                                              Long expectedLinks) {
        Change change = change(current, after, eventType, actor, source);
        if (change == null) {
            return Optional.of(current);
        }
        if (change.newKeys()) {
            // before the write, so that identification finds the CI by a new key from the moment it has it; keys it had
            // already are in the index (a write of most imports' updates fewer)
            identity.add(Map.of(current.id(), change.keysAfter()));
        }
        CiRepository.Update update = change.update();
        Optional<ConfigurationItem> written = outbox.write(CmdbDatabase.CIS, List.of(current.id()),
                () -> repository.update(update.after(), update.expectedVersion(), expectedLinks, update.event(), update.ended(),
                        update.sourcesOfChangedFields()));
        if (written.isPresent()) {
            wrote(change);
        }
        return written;
    }

    /** A CI's state read and the state an update writes over it: an item of {@link #writeAllAs}. */
    public record Write(ConfigurationItem current, ConfigurationItem after) {
    }

    /**
     * {@link #writeAs} for many CIs (each at most once) in one bulk write with one hint for the relay, instead of two round
     * trips each: what an import that updates CIs does per chunk.
     *
     * @return by position, as {@link #writeAs}: the stored CI, or empty when it changed since it was read
     */
    public List<Optional<ConfigurationItem>> writeAllAs(List<Write> writes, String actor, String source) {
        Change[] changes = new Change[writes.size()];          // by position; null where nothing changes
        List<CiRepository.Update> updates = new java.util.ArrayList<>();
        Map<String, List<IdentityIndex.Key>> newKeys = new LinkedHashMap<>();
        for (int i = 0; i < changes.length; i++) {
            Write w = writes.get(i);
            Change change = change(w.current(), w.after(), EventTypes.CI_UPDATED, actor, source);
            changes[i] = change;
            if (change != null) {
                updates.add(change.update());
                if (change.newKeys()) {
                    newKeys.put(w.current().id(), change.keysAfter());
                }
            }
        }
        if (!newKeys.isEmpty()) {
            identity.add(newKeys);
        }
        Set<String> written = updates.isEmpty() ? Set.of()
                : outbox.write(CmdbDatabase.CIS, updates.stream().map(u -> u.after().id()).toList(), () -> repository.updateAll(updates));
        List<Optional<ConfigurationItem>> results = new java.util.ArrayList<>(changes.length);
        for (int i = 0; i < changes.length; i++) {
            Change change = changes[i];
            if (change == null) {
                results.add(Optional.of(writes.get(i).current()));
            } else if (written.contains(change.update().after().id())) {
                wrote(change);
                results.add(Optional.of(change.update().after()));
            } else {
                results.add(Optional.empty());
            }
        }
        return results;
    }

    /** A write that changes a CI, ready for the repository, and the CI's identifier keys before and after it. */
    private record Change(CiRepository.Update update, List<IdentityIndex.Key> keysBefore, List<IdentityIndex.Key> keysAfter) {

        /** Whether the CI gains an identifier key. */
        boolean newKeys() {
            return !keysBefore.containsAll(keysAfter);
        }
    }

    /** Builds the write of {@code after} over {@code current}: its next version, event and the revision it ends; null when nothing changed. */
    private Change change(ConfigurationItem current, ConfigurationItem after, String eventType, String actor, String source) {
        List<FieldChange> changes = changes(current, after);
        if (changes.isEmpty()) {
            return null;
        }
        ConfigurationItem next = after.nextVersion(now());
        OutboxEntry event = outbox.eventOfType(eventType, current.id(), new CiEventData(next, changes, actor, source));
        CiRevision ended = new CiRevision(event.id().toString(), current.id(), current, current.updatedAt(), next.updatedAt(), actor,
                source, eventType, changes);
        Map<String, String> sources = new java.util.LinkedHashMap<>();
        changes.stream().map(FieldChange::field).filter(f -> !f.equals("underChange")).forEach(f -> sources.put(f, source));
        ClassHierarchy classes = classService.hierarchy();
        return new Change(new CiRepository.Update(next, current.version(), event, ended, sources), identity.keysOf(current, classes),
                identity.keysOf(next, classes));
    }

    /** After a change was written: the history projector is told, and the identifier keys the CI no longer has are removed. */
    private void wrote(Change change) {
        String id = change.update().after().id();
        historyProjector.wake(id);
        List<IdentityIndex.Key> dropped = change.keysBefore().stream().filter(k -> !change.keysAfter().contains(k)).toList();
        if (!dropped.isEmpty()) {
            identity.remove(Map.of(id, dropped));
        }
    }

    /** What differs between two states of a CI, attribute by attribute (attributes in name order). */
    public static List<FieldChange> changes(ConfigurationItem before, ConfigurationItem after) {
        Set<String> keys = new java.util.TreeSet<>(before.attributes() == null ? Set.of() : before.attributes().keySet());
        if (after.attributes() != null) {
            keys.addAll(after.attributes().keySet());
        }
        return FieldChange.diff(before.comparable(keys), after.comparable(keys));
    }

    private static ProblemException stale(ConfigurationItem current) {
        return new ProblemException(412, "precondition-failed", "Precondition failed",
                "CI " + current.number() + " was changed by someone else meanwhile; read it again and retry");
    }

    /** Timestamps are kept to the millisecond, the precision MongoDB stores, so API, document and event agree. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
