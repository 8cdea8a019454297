package io.itsm.cmdb.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.itsm.cmdb.classes.CiClassService;
import io.itsm.cmdb.classes.ClassHierarchy;
import io.itsm.cmdb.domain.ConfigurationItem;
import io.itsm.cmdb.graph.GraphProjection;
import io.itsm.cmdb.domain.Relationship;
import io.itsm.cmdb.domain.RelationshipEventData;
import io.itsm.cmdb.domain.RelationshipType;
import io.itsm.cmdb.repository.CiRepository;
import io.itsm.cmdb.repository.CmdbDatabase;
import io.itsm.cmdb.repository.PendingJoins;
import io.itsm.cmdb.repository.RelationshipRepository;
import io.itsm.events.EventTypes;
import io.itsm.events.mongodb.quarkus.DocumentOutbox;
import io.itsm.events.outbox.OutboxEntry;
import io.itsm.rest.EntityTags;
import io.itsm.rest.Problem;
import io.itsm.rest.ProblemException;
import io.itsm.rest.security.Actor;
import io.itsm.rest.paging.InMemoryPages;
import io.itsm.rest.paging.Page;

/**
 * The relationship use cases: an edge joins two existing, unretired, different CIs once; an inverse name
 * ({@code USED_BY}) is stored as its type with the ends swapped. Each change is one single-document write with its
 * event.
 */
@ApplicationScoped
public class RelationshipService {

    private static final Comparator<Relationship> OLDEST_FIRST = Comparator.comparing(Relationship::createdAt).thenComparing(Relationship::id);
    private static final InMemoryPages.Order<Relationship> BY_CREATION = new InMemoryPages.Order<>("createdAt", 2,
            r -> List.of(r.createdAt().toString(), r.id()), (r, after) -> {
                int byTime = r.createdAt().compareTo(Instant.parse(after.get(0)));
                return byTime > 0 || byTime == 0 && r.id().compareTo(after.get(1)) > 0;
            });

    @Inject
    RelationshipRepository repository;

    @Inject
    CiRepository cis;

    @Inject
    DocumentOutbox outbox;

    @Inject
    CiClassService classService;

    @Inject
    GraphProjection graph;

    @Inject
    PendingJoins pendingJoins;

    /**
     * @throws ProblemException 400 unknown type; 422 self-loop, unknown or retired CI, a type the classes do not allow; 409 the edge exists already
     */
    public Relationship create(String sourceId, String typeName, String targetId, String actor) {
        RelationshipType.Named named = RelationshipType.byName(typeName).orElseThrow(() -> ProblemException.invalid("type",
                "must be one of DEPENDS_ON, RUNS_ON, HOSTED_ON, CONTAINS, CONNECTS_TO, MEMBER_OF or an inverse name "
                        + "(USED_BY, RUNS, HOSTS, CONTAINED_BY, CONNECTED_BY, HAS_MEMBER)"));
        String source = named.inverted() ? targetId : sourceId;
        String target = named.inverted() ? sourceId : targetId;
        if (source.equals(target)) {
            throw ProblemException.unprocessable("targetId", "must not be the source: a CI cannot relate to itself");
        }
        ConfigurationItem[] ends = linkable(source, named, target);
        ConfigurationItem from = ends[0];
        ConfigurationItem to = ends[1];
        Relationship relationship = Relationship.made(UUID.randomUUID().toString(), named.type(), source, target, now(), actor, CiService.API_SOURCE);
        OutboxEntry created = outbox.eventOfType(EventTypes.RELATIONSHIP_CREATED, relationship.id(), RelationshipEventData.created(relationship));
        // noted before the insert: if this replica stops before the join below, JoinRecovery finishes it
        String note = pendingJoins.begin(List.of(relationship));
        try {
            outbox.write(CmdbDatabase.RELATIONSHIPS, List.of(relationship.id()), () -> {
                repository.insert(relationship, created);
                return relationship;
            });
        } catch (RelationshipRepository.DuplicateEdgeException e) {
            pendingJoins.done(List.of(note));
            throw ProblemException.conflict(from.number() + " " + named.type() + " " + to.number() + " exists already");
        }
        if (!cis.join(source, from.ciClass()) || !cis.join(target, to.ciClass())) {
            // an end was retired, deleted or reclassified since it was checked: take the edge back (its history shows both)
            withdraw(relationship, actor, CiService.API_SOURCE);
            pendingJoins.done(List.of(note));
            linkable(source, named, target);
            throw ProblemException.conflict(from.number() + " or " + to.number() + " changed while the relationship was being made; "
                    + "read them again and retry");
        }
        pendingJoins.done(List.of(note));
        graph.add(relationship);
        return relationship;
    }

    /**
     * Finishes the making of an edge whose maker stopped between its insert and its join (see {@link PendingJoins}): joins
     * it to its ends if they still allow it (both exist unretired, and their classes as they are now allow the type),
     * else withdraws it with its event. Safe to repeat, and beside a maker that is only slow: joining twice only counts
     * the edge twice on its CIs, and a second withdrawal finds the edge deleted already.
     *
     * @return whether the edge stays; empty when there is no such active edge (never inserted, or deleted since)
     */
    public Optional<Boolean> finishJoin(String edgeId) {
        Optional<Relationship> found = repository.find(edgeId).filter(r -> !r.isDeleted());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Relationship edge = found.get();
        Optional<ConfigurationItem> from = cis.find(edge.sourceId()).filter(ci -> !ci.isRetired());
        Optional<ConfigurationItem> to = cis.find(edge.targetId()).filter(ci -> !ci.isRetired());
        boolean stays = from.isPresent() && to.isPresent()
                && classService.hierarchy().allows(from.get().ciClass(), edge.type(), to.get().ciClass())
                && cis.join(edge.sourceId(), from.get().ciClass()) && cis.join(edge.targetId(), to.get().ciClass());
        if (stays) {
            graph.add(edge);
        } else {
            withdraw(edge, Actor.SYSTEM.name(), Actor.SYSTEM.name());
        }
        return Optional.of(stays);
    }

    /**
     * The two ends of a new edge, as they are now: both exist (not deleted), neither is retired, and their classes allow
     * the type.
     *
     * @return {source, target}
     */
    private ConfigurationItem[] linkable(String source, RelationshipType.Named named, String target) {
        ConfigurationItem from = requireLinkable(source, named.inverted() ? "targetId" : "sourceId");
        ConfigurationItem to = requireLinkable(target, named.inverted() ? "sourceId" : "targetId");
        ClassHierarchy classes = classService.hierarchy();
        if (!classes.allows(from.ciClass(), named.type(), to.ciClass())) {
            throw ProblemException.unprocessable("type", "is not allowed from " + from.number() + " (class " + from.ciClass() + ") to "
                    + to.number() + " (class " + to.ciClass() + "): " + from.ciClass() + " may be the source of " + named.type() + " to "
                    + (classes.allowedTargets(from.ciClass(), named.type()).isEmpty() ? "no class"
                    : String.join(", ", classes.allowedTargets(from.ciClass(), named.type())) + " (and their subclasses)"));
        }
        return new ConfigurationItem[]{from, to};
    }

    public Optional<Relationship> find(String id) {
        return repository.find(id);
    }

    /**
     * A page of a CI's active relationships, either end, oldest first; with {@code types}, those that read so from the
     * CI ({@code DEPENDS_ON}: the CI is the source, {@code USED_BY}: it is the target of a {@code DEPENDS_ON}).
     *
     * <p>The edges are found through the graph projection and read by their unique key, so on either store the list
     * costs one indexed lookup per edge of the CI, not a search of every relationship. Until the projection has loaded
     * (just after a start), the store is searched. Another replica's new edge shows within the event latency.
     *
     * @throws ProblemException 404 unknown CI; 400 a bad cursor
     */
    public Page<Relationship> of(String ciId, List<RelationshipType.Named> types, String cursor, int limit, boolean count) {
        cis.find(ciId).orElseThrow(() -> ProblemException.notFound("CI", ciId));
        List<Relationship> edges = new ArrayList<>(graph.ready() ? repository.activeWithEnds(graph.edgesOf(ciId)) : repository.activeOf(ciId));
        if (!types.isEmpty()) {
            edges.removeIf(r -> types.stream().noneMatch(named -> named.describes(r, ciId)));
        }
        edges.sort(OLDEST_FIRST);
        return InMemoryPages.page(edges, BY_CREATION, cursor, limit, count);
    }

    /**
     * A page of the relationship's history: its creation and, once it was deleted, its deletion (a deleted
     * relationship's history stays).
     *
     * @throws ProblemException 404 unknown relationship; 400 a bad cursor
     */
    public Page<HistoryEntry> history(String id, String cursor, int limit, boolean count) {
        Relationship r = repository.find(id).orElseThrow(() -> ProblemException.notFound("relationship", id));
        List<HistoryEntry> entries = new ArrayList<>();
        entries.add(new HistoryEntry(0, EventTypes.RELATIONSHIP_CREATED, r.createdAt(), r.createdBy(), r.createdSource(), List.of()));
        if (r.isDeleted()) {
            entries.add(new HistoryEntry(r.version(), EventTypes.RELATIONSHIP_DELETED, r.deletedAt(), r.deletedBy(), r.deletedSource(),
                    RelationshipEventData.deleted(r).changes()));
        }
        return InMemoryPages.page(entries, HistoryEntry.BY_VERSION, cursor, limit, count);
    }

    /**
     * Deletes the edge the client saw at {@code ifMatch}; it stays in history.
     *
     * @throws ProblemException 404, 428, 412 (stale or changed meanwhile), 409 (deleted already)
     */
    public Relationship delete(String id, String ifMatch, String actor) {
        Relationship current = repository.find(id).orElseThrow(() -> ProblemException.notFound("relationship", id));
        EntityTags.requireMatch(ifMatch, current.version());
        if (current.isDeleted()) {
            throw ProblemException.conflict("relationship " + id + " is deleted already");
        }
        return markDeleted(current, actor, CiService.API_SOURCE).orElseThrow(() -> new ProblemException(412, "precondition-failed", "Precondition failed",
                "relationship " + id + " was changed by someone else meanwhile; read it again and retry"));
    }

    /**
     * Takes back an edge that was just stored but could not be joined to its ends (one was retired, deleted or
     * reclassified meanwhile): deleted with its event, so consumers and history see it come and go.
     */
    public void withdraw(Relationship created, String actor, String source) {
        markDeleted(created, actor, source);
    }

    /** Deletes the edge if it is still as {@code current}: one compare-and-swap with its event. */
    private Optional<Relationship> markDeleted(Relationship current, String actor, String source) {
        Relationship deleted = current.deleted(now(), actor, source);
        OutboxEntry event = outbox.eventOfType(EventTypes.RELATIONSHIP_DELETED, current.id(), RelationshipEventData.deleted(deleted));
        Optional<Relationship> done = outbox.write(CmdbDatabase.RELATIONSHIPS, List.of(current.id()),
                () -> repository.delete(deleted, event));
        done.ifPresent(graph::remove);
        return done;
    }

    private ConfigurationItem requireLinkable(String ciId, String field) {
        ConfigurationItem ci = cis.find(ciId).orElseThrow(() -> new ProblemException(422, "unprocessable", "Unprocessable request",
                field + " names CI " + ciId + ", which does not exist", List.of(new Problem.FieldError(field, "names CI " + ciId + ", which does not exist"))));
        if (ci.isRetired()) {
            throw ProblemException.unprocessable(field, "names " + ci.number() + ", which is retired");
        }
        return ci;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
