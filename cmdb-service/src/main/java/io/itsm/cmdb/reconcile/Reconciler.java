package io.itsm.cmdb.reconcile;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.itsm.cmdb.classes.CiClass;
import io.itsm.cmdb.classes.CiClassService;
import io.itsm.cmdb.classes.ClassHierarchy;
import io.itsm.cmdb.domain.CiEventData;
import io.itsm.cmdb.domain.CiStatus;
import io.itsm.cmdb.graph.GraphProjection;
import io.itsm.cmdb.domain.ConfigurationItem;
import io.itsm.cmdb.domain.Environment;
import io.itsm.cmdb.domain.Relationship;
import io.itsm.cmdb.domain.RelationshipEventData;
import io.itsm.cmdb.domain.RelationshipType;
import io.itsm.cmdb.repository.BsonValues;
import io.itsm.cmdb.repository.CiNumberSequence;
import io.itsm.cmdb.repository.CiRepository;
import io.itsm.cmdb.repository.CmdbDatabase;
import io.itsm.cmdb.repository.IdentityIndex;
import io.itsm.cmdb.repository.PendingJoins;
import io.itsm.cmdb.repository.ReconcileRuns;
import io.itsm.cmdb.repository.RelationshipRepository;
import io.itsm.cmdb.service.RelationshipService;
import io.itsm.cmdb.service.CiService;
import io.itsm.events.EventTypes;
import io.itsm.events.mongodb.quarkus.DocumentOutbox;
import io.itsm.events.outbox.OutboxEntry;
import io.itsm.cmdb.reconcile.ReconcileReport.Counts;
import io.itsm.cmdb.reconcile.ReconcileReport.ItemResult;
import io.itsm.cmdb.reconcile.ReconcileReport.RelationshipResult;

/**
 * The identification and reconciliation engine. Each item is identified by its class's identifier rules in priority
 * order — the first rule whose fields the item has and that finds exactly one CI matches it; one that finds several makes
 * the item AMBIGUOUS (nothing written); none finding any creates a CI — and then written field by field under the class's
 * attribute authority: a source writes only the fields its rule names, and never over a value a source of higher
 * priority (smaller number) wrote. Writing what is already there changes nothing, so re-running an import is UNCHANGED
 * throughout and publishes nothing.
 *
 * <p>Items are processed in chunks: one identity lookup and one CI read per chunk, the creates of a chunk inserted in one
 * round trip (each CI one atomic document write with its event), its updates written in one bulk write (a compare-and-swap
 * each).
 */
@ApplicationScoped
public class Reconciler {

    public static final int MAX_BATCH = 10_000;
    public static final int MAX_BATCH_RELATIONSHIPS = 50_000;
    private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");
    private static final Pattern CLASS_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern CI_NUMBER = Pattern.compile("CI[0-9]{7}");
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    @Inject
    CiClassService classService;

    @Inject
    CiService cis;

    @Inject
    CiRepository repository;

    @Inject
    RelationshipRepository relationships;

    @Inject
    RelationshipService relationshipService;

    @Inject
    IdentityIndex identity;

    @Inject
    CiNumberSequence numbers;

    @Inject
    DocumentOutbox outbox;

    @Inject
    ReconcileRuns runs;

    @Inject
    GraphProjection graph;

    @Inject
    PendingJoins pendingJoins;

    /** Starts an import from {@code source} on behalf of {@code actor}; feed it items and relationships, then complete it. */
    public Run start(String source, String actor) {
        return new Run(source, actor);
    }

    /** One import: remembers the items' refs across chunks and counts the outcomes. */
    public final class Run {

        private final String id = UUID.randomUUID().toString();
        private final String source;
        private final String actor;
        private final Instant startedAt = now();
        private final Map<String, Created> refs = new HashMap<>();
        private final long[] itemCounts = new long[ReconcileOutcome.values().length];
        private final long[] relationshipCounts = new long[ReconcileOutcome.values().length];

        private record Created(String ciId, String ciClass) {
        }

        Run(String source, String actor) {
            this.source = source;
            this.actor = actor;
        }

        /** Counts an input the caller could not even read as an item or relationship (e.g. an NDJSON line that is not JSON). */
        public void countUnreadable() {
            itemCounts[ReconcileOutcome.INVALID.ordinal()]++;
        }

        /** Reconciles a chunk of items; {@code firstIndex} is the position of the first (for the results). */
        public List<ItemResult> items(List<ReconcileItem> chunk, int firstIndex) {
            ClassHierarchy classes = classService.hierarchy();
            for (ReconcileItem item : chunk) {
                if (item != null && item.ciClass() != null && !classes.exists(item.ciClass())) {
                    classes = classService.hierarchyKnowing(item.ciClass());
                    break;
                }
            }
            ItemResult[] results = new ItemResult[chunk.size()];
            Map<Integer, ConfigurationItem> probes = new HashMap<>();
            Map<Integer, List<IdentityIndex.Key>> keysOf = new HashMap<>();
            List<String> allKeys = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                ReconcileItem item = chunk.get(i);
                List<String> reasons = check(item, classes);
                if (!reasons.isEmpty()) {
                    results[i] = result(firstIndex + i, item, ReconcileOutcome.INVALID, null, null, null, reasons);
                    continue;
                }
                ConfigurationItem probe = probe(item);
                List<IdentityIndex.Key> keys = identity.keysOf(probe, classes);
                if (keys.isEmpty()) {
                    results[i] = result(firstIndex + i, item, ReconcileOutcome.INVALID, null, null, null, List.of("no identifier rule of "
                            + item.ciClass() + " has all its fields in the item; its rules: " + classes.identifierRules(item.ciClass())
                            .map(ClassHierarchy.ScopedRules::rules).orElse(List.of())));
                    continue;
                }
                probes.put(i, probe);
                keysOf.put(i, keys);
                keys.forEach(k -> allKeys.add(k.value()));
            }
            Map<String, Set<String>> indexed = identity.lookup(allKeys);
            Set<String> candidateIds = new LinkedHashSet<>();
            indexed.values().forEach(candidateIds::addAll);
            Map<String, CiRepository.Stored> stored = new HashMap<>(repository.findStored(candidateIds));

            Map<String, Integer> pendingByKey = new HashMap<>();        // identifier key → position of the item creating it
            Map<Integer, ConfigurationItem> creates = new LinkedHashMap<>();
            Map<String, PendingUpdate> updates = new LinkedHashMap<>();   // CI id → its update, written at once below
            for (int i = 0; i < chunk.size(); i++) {
                if (results[i] != null) {
                    continue;
                }
                ReconcileItem item = chunk.get(i);
                List<IdentityIndex.Key> keys = keysOf.get(i);
                if (keys.stream().anyMatch(k -> indexed.getOrDefault(k.value(), Set.of()).stream().anyMatch(updates::containsKey))) {
                    // the item may be identified with a CI updated before it in the chunk: as that CI is after its update
                    write(updates, firstIndex, results, classes, stored);
                }
                Match match = identify(keys, indexed, stored, pendingByKey, classes);
                if (match.ambiguous() != null) {
                    results[i] = result(firstIndex + i, item, ReconcileOutcome.AMBIGUOUS, null, null, match.fields(), List.of(
                            "identifier " + match.fields() + " matches " + match.ambiguous().size() + " CIs: "
                                    + match.ambiguous().stream().sorted().toList() + "; nothing was written"));
                } else if (match.pendingItem() != null) {
                    int first = match.pendingItem();
                    ConfigurationItem merged = merge(creates.get(first), item, classes, Map.of(), new ArrayList<>());
                    creates.put(first, merged);
                    results[i] = result(firstIndex + i, item, ReconcileOutcome.UNCHANGED, merged.id(), merged.number(), match.fields(),
                            List.of("the same CI as item " + (firstIndex + first) + " of this import, which creates it with these values"));
                    remember(item, merged);
                } else if (match.ciId() != null) {
                    PendingUpdate update = update(i, item, stored.get(match.ciId()), match.fields(), classes);
                    if (update.invalid() != null) {
                        results[i] = result(firstIndex + i, item, ReconcileOutcome.INVALID, match.ciId(), update.current().ci().number(),
                                match.fields(), update.invalid());
                    } else {
                        updates.put(match.ciId(), update);
                    }
                } else {
                    List<String> reasons = new ArrayList<>();
                    if (item.name() == null || item.name().isBlank()) {
                        reasons.add("name is required to create a CI (no identifier rule matched an existing one)");
                    }
                    ConfigurationItem fresh = probes.get(i);
                    reasons.addAll(attributeErrors(classes, fresh));
                    if (!reasons.isEmpty()) {
                        results[i] = result(firstIndex + i, item, ReconcileOutcome.INVALID, null, null, null, reasons);
                        continue;
                    }
                    creates.put(i, fresh);
                    for (IdentityIndex.Key key : keys) {
                        pendingByKey.putIfAbsent(key.value(), i);
                    }
                }
            }
            write(updates, firstIndex, results, classes, stored);
            insert(creates, chunk, firstIndex, results, classes, indexed);
            for (ItemResult r : results) {
                itemCounts[r.outcome().ordinal()]++;
            }
            return List.of(results);
        }

        /** {@code indexed}: what the identity index held for the chunk's keys just before. */
        private void insert(Map<Integer, ConfigurationItem> creates, List<ReconcileItem> chunk, int firstIndex, ItemResult[] results,
                            ClassHierarchy classes, Map<String, Set<String>> indexed) {
            if (creates.isEmpty()) {
                return;
            }
            List<String> assigned = numbers.next(creates.size());
            List<ConfigurationItem> items = new ArrayList<>();
            List<OutboxEntry> events = new ArrayList<>();
            Map<String, List<IdentityIndex.Key>> keys = new HashMap<>();
            Instant now = now();
            int n = 0;
            Map<Integer, ConfigurationItem> numbered = new LinkedHashMap<>();
            for (Map.Entry<Integer, ConfigurationItem> e : creates.entrySet()) {
                ConfigurationItem p = e.getValue();
                ConfigurationItem ci = new ConfigurationItem(p.id(), assigned.get(n++), p.ciClass(), p.name(), p.status(), p.environment(),
                        p.criticality(), p.owner(), p.supportGroup(), p.attributes(), null, 0, now, now);
                numbered.put(e.getKey(), ci);
                items.add(ci);
                events.add(outbox.eventOfType(EventTypes.CI_CREATED, ci.id(), new CiEventData(ci, List.of(), actor, source)));
                keys.put(ci.id(), identity.keysOf(ci, classes));
            }
            identity.addNew(keys, indexed.keySet());
            outbox.insertAll(CmdbDatabase.CIS, items.stream().map(ConfigurationItem::id).toList(), events, (from, to) -> {
                repository.insertAll(items.subList(from, to), actor, source);
                return Set.of();
            });
            numbered.forEach((i, ci) -> {
                results[i] = result(firstIndex + i, chunk.get(i), ReconcileOutcome.CREATED, ci.id(), ci.number(), null, List.of());
                remember(chunk.get(i), ci);
            });
            // items merged into a create learn its number now
            for (int i = 0; i < results.length; i++) {
                ItemResult r = results[i];
                if (r != null && r.outcome() == ReconcileOutcome.UNCHANGED && r.number() == null) {
                    String ciId = r.ciId();
                    items.stream().filter(ci -> ci.id().equals(ciId)).findFirst().ifPresent(ci ->
                            results[r.index() - firstIndex] = new ItemResult(r.index(), r.ref(), r.outcome(), ci.id(), ci.number(), r.matchedBy(), r.reasons()));
                }
            }
        }

        /**
         * An item's update of the CI it matched, waiting for the chunk's bulk write: the CI as read, as the item leaves it, and
         * why fields were kept; or why the item is invalid.
         */
        private record PendingUpdate(int position, ReconcileItem item, CiRepository.Stored current, ConfigurationItem after,
                                     List<String> matchedBy, List<String> reasons, List<String> invalid) {
        }

        /** The item's fields merged into the CI it matched (at {@code position} of the chunk), or why they cannot be. */
        private PendingUpdate update(int position, ReconcileItem item, CiRepository.Stored current, List<String> matchedBy,
                                     ClassHierarchy classes) {
            List<String> reasons = new ArrayList<>();
            if (!item.ciClass().equals(current.ci().ciClass())) {
                reasons.add("the CI keeps its class " + current.ci().ciClass() + " (reclassifying is a PATCH)");
            }
            ConfigurationItem after = merge(current.ci(), item, classes, current.fieldSources(), reasons);
            List<String> invalid = attributeErrors(classes, after);
            return new PendingUpdate(position, item, current, after, matchedBy, reasons, invalid.isEmpty() ? null : invalid);
        }

        /**
         * Writes the chunk's pending updates in one bulk write (one compare-and-swap each); an update whose CI changed since
         * the chunk read it is merged into the CI as it is now and written alone, at most twice more.
         */
        private void write(Map<String, PendingUpdate> updates, int firstIndex, ItemResult[] results,
                           ClassHierarchy classes, Map<String, CiRepository.Stored> stored) {
            if (updates.isEmpty()) {
                return;
            }
            List<PendingUpdate> pending = List.copyOf(updates.values());
            updates.clear();
            List<Optional<ConfigurationItem>> written = cis.writeAllAs(
                    pending.stream().map(u -> new CiService.Write(u.current().ci(), u.after())).toList(), actor, source);
            for (int k = 0; k < pending.size(); k++) {
                PendingUpdate u = pending.get(k);
                results[u.position()] = written.get(k).isPresent()
                        ? written(firstIndex + u.position(), u, written.get(k).get(), stored)
                        : writeAlone(firstIndex + u.position(), u, classes, stored);
            }
        }

        private ItemResult writeAlone(int index, PendingUpdate update, ClassHierarchy classes, Map<String, CiRepository.Stored> stored) {
            String id = update.current().ci().id();
            for (int attempt = 0; attempt < 2; attempt++) {
                CiRepository.Stored current = repository.findStored(List.of(id)).get(id);
                if (current == null) {
                    break;
                }
                PendingUpdate again = update(update.position(), update.item(), current, update.matchedBy(), classes);
                if (again.invalid() != null) {
                    return result(index, update.item(), ReconcileOutcome.INVALID, id, current.ci().number(), update.matchedBy(), again.invalid());
                }
                Optional<ConfigurationItem> written = cis.writeAs(current.ci(), again.after(), actor, source);
                if (written.isPresent()) {
                    return written(index, again, written.get(), stored);
                }
            }
            return result(index, update.item(), ReconcileOutcome.INVALID, null, null, update.matchedBy(),
                    List.of("the matched CI kept changing meanwhile; run the import again"));
        }

        /** The result of an update the store took ({@code ci}: the CI as stored), remembered for the rest of the run. */
        private ItemResult written(int index, PendingUpdate update, ConfigurationItem ci, Map<String, CiRepository.Stored> stored) {
            CiRepository.Stored current = update.current();
            Map<String, String> sources = new HashMap<>(current.fieldSources());
            if (ci.version() != current.ci().version()) {
                CiService.changes(current.ci(), ci).forEach(c -> sources.put(c.field(), source));
            }
            stored.put(ci.id(), new CiRepository.Stored(ci, sources));
            remember(update.item(), ci);
            return result(index, update.item(), ci.version() == current.ci().version() ? ReconcileOutcome.UNCHANGED : ReconcileOutcome.UPDATED,
                    ci.id(), ci.number(), update.matchedBy(), update.reasons());
        }

        /**
         * The CI with the item's fields written where the source may write them: a source without an authority rule for a field
         * (when the class has rules) does not write it, nor one whose priority is lower than the source that wrote the value.
         */
        private ConfigurationItem merge(ConfigurationItem current, ReconcileItem item, ClassHierarchy classes, Map<String, String> writers,
                                        List<String> reasons) {
            List<CiClass.AuthorityRule> rules = classes.authority(current.ciClass());
            Map<String, Object> attributes = new LinkedHashMap<>(current.attributes() == null ? Map.of() : current.attributes());
            Map<String, Object> given = BsonValues.normalized(item.attributes());
            List<String> kept = new ArrayList<>();
            String name = may(rules, "name", item.name(), current.name(), writers, kept) ? item.name() : current.name();
            CiStatus givenStatus = item.status() == null ? null : parse(CiStatus.class, item.status());
            CiStatus status = may(rules, "status", givenStatus, current.status(), writers, kept) ? givenStatus : current.status();
            Environment givenEnvironment = item.environment() == null ? null : parse(Environment.class, item.environment());
            Environment environment = may(rules, "environment", givenEnvironment, current.environment(), writers, kept)
                    ? givenEnvironment : current.environment();
            int criticality = item.criticality() != null && may(rules, "criticality", item.criticality(), current.criticality(), writers, kept)
                    ? item.criticality() : current.criticality();
            String owner = may(rules, "owner", item.owner(), current.owner(), writers, kept) ? item.owner() : current.owner();
            String supportGroup = may(rules, "supportGroup", item.supportGroup(), current.supportGroup(), writers, kept)
                    ? item.supportGroup() : current.supportGroup();
            given.forEach((key, value) -> {
                if (may(rules, "attributes." + key, value, attributes.get(key), writers, kept)) {
                    attributes.put(key, value);
                }
            });
            if (!kept.isEmpty()) {
                reasons.add("attribute authority kept " + kept + " as they are");
            }
            return current.with(current.ciClass(), name, status, environment, criticality, owner, supportGroup, attributes);
        }

        /** Whether this run's source may write {@code field} (given a value that differs from the current one). */
        private boolean may(List<CiClass.AuthorityRule> rules, String field, Object value, Object current, Map<String, String> writers,
                            List<String> kept) {
            if (value == null) {
                return false;
            }
            if (java.util.Objects.equals(value, current) || rules.isEmpty()) {
                return true; // the same value changes nothing whoever writes it; without rules every source writes everything
            }
            String attribute = field.startsWith("attributes.") ? field.substring("attributes.".length()) : field;
            CiClass.AuthorityRule mine = ruleFor(rules, source, attribute);
            if (mine == null) {
                kept.add(field);
                return false;
            }
            String writer = writers.get(field);
            if (writer != null && !writer.equals(source)) {
                CiClass.AuthorityRule theirs = ruleFor(rules, writer, attribute);
                if (theirs != null && theirs.priority() < mine.priority()) {
                    kept.add(field);
                    return false;
                }
            }
            return true;
        }

        private static CiClass.AuthorityRule ruleFor(List<CiClass.AuthorityRule> rules, String source, String attribute) {
            for (CiClass.AuthorityRule rule : rules) {
                if (rule.source().equals(source) && (rule.attributes().contains(attribute) || rule.attributes().contains("*"))) {
                    return rule;
                }
            }
            return null;
        }

        private void remember(ReconcileItem item, ConfigurationItem ci) {
            if (item.ref() != null) {
                refs.put(item.ref(), new Created(ci.id(), ci.ciClass()));
            }
        }

        /**
         * Reconciles relationships; ends name refs of items fed to this run before, CI ids or CI numbers. They are
         * checked and inserted {@code chunk} at a time, then joined to their ends all at once (one update per CI for the
         * whole call, not per chunk: on the MongoDB-wire store the join rewrites each CI's document).
         */
        public List<RelationshipResult> relationships(List<ReconcileRelationship> all, int firstIndex, int chunk) {
            RelationshipResult[] results = new RelationshipResult[all.size()];
            Map<Integer, Relationship> created = new LinkedHashMap<>();
            Map<String, String> joining = new HashMap<>();
            List<String> notes = new ArrayList<>();
            for (int from = 0; from < all.size(); from += chunk) {
                insert(all.subList(from, Math.min(all.size(), from + chunk)), from, firstIndex, results, created, joining, notes);
            }
            // after the inserts, so that a retire, delete or reclassification meanwhile either sees the edges or is refused
            Set<String> changedMeanwhile = repository.joinAll(joining);
            created.forEach((i, edge) -> {
                if (changedMeanwhile.contains(edge.sourceId()) || changedMeanwhile.contains(edge.targetId())) {
                    relationshipService.withdraw(edge, actor, source);
                    results[i] = new RelationshipResult(firstIndex + i, ReconcileOutcome.INVALID, null, List.of(
                            "an end was retired, deleted or reclassified while the import ran; the relationship was taken back"));
                } else {
                    graph.add(edge);
                    results[i] = new RelationshipResult(firstIndex + i, ReconcileOutcome.CREATED, edge.id(), List.of());
                }
            });
            pendingJoins.done(notes);
            for (RelationshipResult r : results) {
                relationshipCounts[r.outcome().ordinal()]++;
            }
            return List.of(results);
        }

        /** Checks and inserts one chunk (at {@code offset} of the call's relationships); the inserted edges go to {@code created}. */
        private void insert(List<ReconcileRelationship> chunk, int offset, int firstIndex, RelationshipResult[] results,
                            Map<Integer, Relationship> created, Map<String, String> joining, List<String> notes) {
            ClassHierarchy classes = classService.hierarchy();
            Set<String> numbersNamed = new LinkedHashSet<>();
            Set<String> idsNamed = new LinkedHashSet<>();
            for (ReconcileRelationship r : chunk) {
                if (r == null) {
                    continue;
                }
                for (String end : new String[]{r.source(), r.target()}) {
                    if (end != null && !refs.containsKey(end)) {
                        if (CI_NUMBER.matcher(end).matches()) {
                            numbersNamed.add(end);
                        } else if (UUID_TEXT.matcher(end).matches()) {
                            idsNamed.add(end);
                        }
                    }
                }
            }
            Map<String, String> idByNumber = repository.idsByNumber(numbersNamed);
            idsNamed.addAll(idByNumber.values());
            Map<String, ConfigurationItem> known = new HashMap<>();
            repository.findAll(idsNamed).forEach(ci -> known.put(ci.id(), ci));

            List<Relationship> edges = new ArrayList<>();
            List<OutboxEntry> events = new ArrayList<>();
            List<Integer> positions = new ArrayList<>();
            Map<String, String> ends = new HashMap<>();
            Instant now = now();
            for (int i = 0; i < chunk.size(); i++) {
                ReconcileRelationship r = chunk.get(i);
                List<String> reasons = new ArrayList<>();
                if (r == null) {
                    results[offset + i] = new RelationshipResult(firstIndex + offset + i, ReconcileOutcome.INVALID, null, List.of("is not a relationship"));
                    continue;
                }
                Optional<RelationshipType.Named> named = RelationshipType.byName(r.type());
                if (named.isEmpty()) {
                    reasons.add("type " + r.type() + " is not a relationship type or inverse name");
                }
                Created source = resolve(r.source(), idByNumber, known, "source", reasons);
                Created target = resolve(r.target(), idByNumber, known, "target", reasons);
                if (!reasons.isEmpty()) {
                    results[offset + i] = new RelationshipResult(firstIndex + offset + i, ReconcileOutcome.INVALID, null, reasons);
                    continue;
                }
                Created from = named.get().inverted() ? target : source;
                Created to = named.get().inverted() ? source : target;
                RelationshipType type = named.get().type();
                if (from.ciId().equals(to.ciId())) {
                    reasons.add("source and target are the same CI");
                } else if (!classes.allows(from.ciClass(), type, to.ciClass())) {
                    reasons.add(from.ciClass() + " may not be the source of " + type + " to " + to.ciClass());
                }
                if (!reasons.isEmpty()) {
                    results[offset + i] = new RelationshipResult(firstIndex + offset + i, ReconcileOutcome.INVALID, null, reasons);
                    continue;
                }
                Relationship edge = Relationship.made(UUID.randomUUID().toString(), type, from.ciId(), to.ciId(), now, actor, Run.this.source);
                edges.add(edge);
                ends.put(from.ciId(), from.ciClass());
                ends.put(to.ciId(), to.ciClass());
                events.add(outbox.eventOfType(EventTypes.RELATIONSHIP_CREATED, edge.id(),
                        RelationshipEventData.created(edge)));
                positions.add(i);
            }
            if (!edges.isEmpty()) {
                // noted before the insert: if this replica stops before the join, JoinRecovery finishes it
                notes.add(pendingJoins.begin(edges));
            }
            Set<Integer> existing = outbox.insertAll(CmdbDatabase.RELATIONSHIPS, edges.stream().map(Relationship::id).toList(), events,
                    (from, to) -> relationships.insertAll(edges.subList(from, to)).stream().map(i -> from + i).collect(Collectors.toSet()));
            for (int e = 0; e < edges.size(); e++) {
                int i = positions.get(e);
                if (existing.contains(e)) {
                    results[offset + i] = new RelationshipResult(firstIndex + offset + i, ReconcileOutcome.UNCHANGED, null, List.of("exists already"));
                } else {
                    created.put(offset + i, edges.get(e));
                    joining.put(edges.get(e).sourceId(), ends.get(edges.get(e).sourceId()));
                    joining.put(edges.get(e).targetId(), ends.get(edges.get(e).targetId()));
                }
            }
        }

        private Created resolve(String end, Map<String, String> idByNumber, Map<String, ConfigurationItem> known, String field,
                                List<String> reasons) {
            if (end == null || end.isBlank()) {
                reasons.add(field + " is required");
                return null;
            }
            Created fromRef = refs.get(end);
            if (fromRef != null) {
                return fromRef;
            }
            String id = idByNumber.getOrDefault(end, end);
            ConfigurationItem ci = known.get(id);
            if (ci == null) {
                reasons.add(field + " " + end + " names no item of this import (by ref), nor an existing CI (by id or number)");
                return null;
            }
            if (ci.isRetired()) {
                reasons.add(field + " " + ci.number() + " is retired");
                return null;
            }
            return new Created(ci.id(), ci.ciClass());
        }

        /** Ends the run: its record, and itsm.reconcile.completed when it changed anything. */
        public ReconcileReport complete(List<ItemResult> items, List<RelationshipResult> edges) {
            Counts itemTotals = counts(itemCounts);
            Counts edgeTotals = counts(relationshipCounts);
            Instant completedAt = now();
            ReconcileRuns.Run run = new ReconcileRuns.Run(id, source, actor, startedAt, completedAt, itemTotals, edgeTotals);
            runs.record(run, itemTotals.changedSomething() || edgeTotals.changedSomething());
            return new ReconcileReport(id, source, startedAt, completedAt, itemTotals, edgeTotals, items, edges);
        }

        private static Counts counts(long[] c) {
            return new Counts(c[ReconcileOutcome.CREATED.ordinal()], c[ReconcileOutcome.UPDATED.ordinal()],
                    c[ReconcileOutcome.UNCHANGED.ordinal()], c[ReconcileOutcome.AMBIGUOUS.ordinal()], c[ReconcileOutcome.INVALID.ordinal()]);
        }
    }

    /** The outcome of identification: one CI, a create of an earlier item of the chunk, several CIs, or nothing (create). */
    private record Match(String ciId, Integer pendingItem, Set<String> ambiguous, List<String> fields) {
    }

    private Match identify(List<IdentityIndex.Key> keys, Map<String, Set<String>> indexed, Map<String, CiRepository.Stored> stored,
                           Map<String, Integer> pendingByKey, ClassHierarchy classes) {
        for (IdentityIndex.Key key : keys) {
            Set<String> verified = new LinkedHashSet<>();
            for (String candidate : indexed.getOrDefault(key.value(), Set.of())) {
                CiRepository.Stored ci = stored.get(candidate);
                if (ci != null && identity.keysOf(ci.ci(), classes).contains(key)) {
                    verified.add(candidate);
                }
            }
            Integer pending = pendingByKey.get(key.value());
            if (verified.size() > 1 || verified.size() == 1 && pending != null) {
                return new Match(null, null, verified, key.fields());
            }
            if (verified.size() == 1) {
                return new Match(verified.iterator().next(), null, null, key.fields());
            }
            if (pending != null) {
                return new Match(null, pending, null, key.fields());
            }
        }
        return new Match(null, null, null, null);
    }

    /** The shape and value checks of an item, one reason each (classes exist, enums, limits, attribute names). */
    private static List<String> check(ReconcileItem item, ClassHierarchy classes) {
        List<String> reasons = new ArrayList<>();
        if (item == null) {
            return List.of("is not an item");
        }
        if (item.ciClass() == null || !CLASS_NAME.matcher(item.ciClass()).matches()) {
            reasons.add("ciClass is required: lower-case letters, digits and _");
        } else if (!classes.exists(item.ciClass())) {
            reasons.add("ciClass " + item.ciClass() + " does not exist");
        }
        if (item.ref() != null && item.ref().length() > 255) {
            reasons.add("ref is longer than 255");
        }
        if (item.name() != null && (item.name().isBlank() || item.name().length() > 255)) {
            reasons.add("name must be 1 to 255 characters");
        }
        if (item.status() != null) {
            CiStatus status = parse(CiStatus.class, item.status());
            if (status == null || status == CiStatus.RETIRED) {
                reasons.add("status must be PLANNED, INSTALLED or IN_MAINTENANCE");
            }
        }
        if (item.environment() != null && parse(Environment.class, item.environment()) == null) {
            reasons.add("environment must be PRODUCTION, STAGING, TEST or DEVELOPMENT");
        }
        if (item.criticality() != null && (item.criticality() < 1 || item.criticality() > 4)) {
            reasons.add("criticality must be 1 to 4");
        }
        for (String text : new String[]{item.owner(), item.supportGroup()}) {
            if (text != null && text.length() > 255) {
                reasons.add("owner and supportGroup are at most 255 characters");
            }
        }
        if (item.attributes() != null) {
            if (item.attributes().size() > 200) {
                reasons.add("attributes has more than 200 keys");
            }
            item.attributes().keySet().stream().filter(k -> !ATTRIBUTE_KEY.matcher(k).matches()).forEach(k ->
                    reasons.add("attribute name " + k + " is not letters, digits, _ or - starting with a letter or _"));
        }
        return reasons;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String text) {
        try {
            return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The item as a new CI (no number yet), defaults filled in: what a create writes and what identification keys on. */
    private static ConfigurationItem probe(ReconcileItem item) {
        Instant now = now();
        return new ConfigurationItem(UUID.randomUUID().toString(), null, item.ciClass(), item.name(),
                item.status() == null ? CiStatus.INSTALLED : parse(CiStatus.class, item.status()),
                item.environment() == null ? null : parse(Environment.class, item.environment()),
                item.criticality() == null ? 3 : item.criticality(), item.owner(), item.supportGroup(),
                BsonValues.normalized(item.attributes()), null, 0, now, now);
    }

    private List<String> attributeErrors(ClassHierarchy classes, ConfigurationItem ci) {
        return classes.validateAttributes(ci.ciClass(), ci.attributes()).stream().map(e -> e.field() + " " + e.message()).toList();
    }


    private static ItemResult result(int index, ReconcileItem item, ReconcileOutcome outcome, String ciId, String number,
                                     List<String> matchedBy, List<String> reasons) {
        return new ItemResult(index, item == null ? null : item.ref(), outcome, ciId, number, matchedBy, reasons);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
