package io.itsm.cmdb.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.itsm.cmdb.config.CmdbConfig;
import io.itsm.cmdb.domain.ConfigurationItem;
import io.itsm.cmdb.domain.Relationship;
import io.itsm.cmdb.domain.RelationshipType;
import io.itsm.cmdb.graph.CiCache;
import io.itsm.cmdb.graph.GraphProjection;
import io.itsm.cmdb.repository.CiHistoryRepository;
import io.itsm.cmdb.repository.CiRepository;
import io.itsm.cmdb.repository.RelationshipRepository;

/**
 * Which CIs a failure reaches: a breadth-first walk over the relationship graph, level by level, done by the service so
 * it works the same on MongoDB and on the MongoDB-wire store: over the in-memory {@link GraphProjection} (once loaded),
 * for an {@code asOf} instant with the changes since undone (see {@link #topologyAt}). Downstream from a CI is what
 * breaks if it fails; upstream is what it needs. Each CI is reached once, at its shortest
 * distance, with one shortest path; cycles end where a CI was seen before.
 */
@ApplicationScoped
public class ImpactAnalysis {

    public static final int MAX_DEPTH = 10;

    @Inject
    RelationshipRepository relationships;

    @Inject
    CiRepository cis;

    @Inject
    CiHistoryRepository history;

    @Inject
    GraphProjection graph;

    @Inject
    CiCache cache;

    @Inject
    CmdbConfig config;

    public enum Direction { DOWNSTREAM, UPSTREAM }

    /** One affected CI: how far from the start, and one shortest path of CI ids from a start CI to it. */
    public record Affected(ConfigurationItem ci, int distance, List<String> path) {
    }

    /** The affected CIs nearest first (then by number), at most {@code limit}; {@code truncated} when there were more. */
    public record Result(List<Affected> affected, boolean truncated) {
    }

    /**
     * @param asOf the instant whose topology to walk (edges that existed then, CIs as they were then); null: now
     */
    public Result analyse(Collection<String> startIds, Direction direction, int depth, Set<RelationshipType> types, int limit, Instant asOf) {
        Set<RelationshipType> along = types.isEmpty() ? EnumSet.allOf(RelationshipType.class) : types;
        Map<String, List<String>> paths = new HashMap<>();
        for (String id : startIds) {
            paths.put(id, List.of(id));
        }
        Map<String, Integer> distance = new HashMap<>();
        List<String> frontier = new ArrayList<>(new LinkedHashSet<>(startIds));
        Topology topology = topologyAt(asOf);
        boolean truncated = false;
        for (int level = 1; level <= depth && !frontier.isEmpty() && !truncated; level++) {
            List<String> next = new ArrayList<>();
            for (String[] step : steps(topology, frontier, direction, along)) {
                String from = step[0];
                String to = step[1];
                if (paths.containsKey(to)) {
                    continue;
                }
                if (distance.size() >= limit) {
                    truncated = true;
                    break;
                }
                List<String> path = new ArrayList<>(paths.get(from));
                path.add(to);
                paths.put(to, List.copyOf(path));
                distance.put(to, level);
                next.add(to);
            }
            frontier = next;
        }
        Map<String, ConfigurationItem> found = new HashMap<>();
        Collection<ConfigurationItem> current = asOf == null ? cache.getAll(distance.keySet(), cis::findAll).values()
                : cis.findAllEvenDeleted(distance.keySet()); // a CI deleted since was there then (its edges were gone before it)
        List<String> changedSince = new ArrayList<>();
        for (ConfigurationItem ci : current) {
            if (asOf == null || !ci.updatedAt().isAfter(asOf)) {
                found.put(ci.id(), ci);
            } else {
                changedSince.add(ci.id());
            }
        }
        if (!changedSince.isEmpty()) {
            history.revisionsAt(changedSince, asOf).forEach((id, r) -> found.put(id, r.state()));
        }
        List<Affected> affected = new ArrayList<>();
        for (Map.Entry<String, Integer> e : distance.entrySet()) {
            ConfigurationItem ci = found.get(e.getKey());
            if (ci != null) {
                affected.add(new Affected(ci, e.getValue(), paths.get(e.getKey())));
            }
        }
        affected.sort(Comparator.comparingInt(Affected::distance).thenComparing(a -> a.ci().number()));
        return new Result(List.copyOf(affected), truncated);
    }

    /**
     * The graph a walk follows. The present: the projection. A past instant, once the projection is loaded: the
     * projection with what changed since undone (edges made since hidden, edges deleted since put back), when at most
     * {@code itsm.cmdb.impact.max-edges-in-memory} edges changed since; else, when at most that many existed then (an
     * instant before a big import), those edges alone. Each is one query (on the MongoDB-wire store one read of every relationship). Failing
     * both, the stored edges, one query per end and level (indexed on MongoDB; on the MongoDB-wire store each reads every
     * relationship).
     */
    private Topology topologyAt(Instant asOf) {
        if (!graph.ready()) {
            return Topology.stored(asOf);
        }
        if (asOf == null) {
            return new Topology(null, true, Set.of(), Map.of());
        }
        int most = config.impact().maxEdgesInMemory();
        List<Relationship> changed = relationships.changedSince(asOf, most + 1);
        if (changed.size() <= most) {
            // hidden: made since (the projection may still hold one deleted since, too); put back: there then, deleted since.
            // Ends both hidden and put back (deleted since, then made again) are walked once, as put back.
            Set<Relationship.Ends> hidden = new HashSet<>();
            List<Relationship> putBack = new ArrayList<>();
            for (Relationship r : changed) {
                if (r.createdAt().isAfter(asOf)) {
                    hidden.add(r.ends());
                } else if (r.activeAt(asOf)) {
                    putBack.add(r);
                }
            }
            return new Topology(asOf, true, hidden, byEnd(putBack));
        }
        List<Relationship> then = relationships.activeAt(asOf, most + 1);
        if (then.size() <= most) {
            return new Topology(asOf, false, Set.of(), byEnd(then));
        }
        return Topology.stored(asOf);
    }

    /** The edges by CI id, at either end, each CI's in a stable order. */
    private static Map<String, List<Relationship.Ends>> byEnd(List<Relationship> edges) {
        Map<String, List<Relationship.Ends>> byEnd = new HashMap<>();
        for (Relationship r : edges) {
            Relationship.Ends ends = r.ends();
            byEnd.computeIfAbsent(r.sourceId(), k -> new ArrayList<>()).add(ends);
            byEnd.computeIfAbsent(r.targetId(), k -> new ArrayList<>()).add(ends);
        }
        byEnd.values().forEach(list -> list.sort(Comparator.comparing(Relationship.Ends::sourceId)
                .thenComparing(Relationship.Ends::type).thenComparing(Relationship.Ends::targetId)));
        return byEnd;
    }

    /**
     * What a walk reads: the projection (when {@code projected}) without {@code hidden}, plus {@code edges} (by CI id,
     * either end); with {@code edges} null, the stored edges as of {@code asOf}.
     */
    private record Topology(Instant asOf, boolean projected, Set<Relationship.Ends> hidden, Map<String, List<Relationship.Ends>> edges) {

        static Topology stored(Instant asOf) {
            return new Topology(asOf, false, null, null);
        }
    }

    /**
     * The edges out of the frontier in the direction of the walk, as (from, to) pairs in a stable order. Downstream
     * follows the way failures spread: from the target of a DEPENDS_ON-like edge to its source, from the source of a
     * CONTAINS edge to its target; upstream the opposite.
     */
    private List<String[]> steps(Topology topology, List<String> frontier, Direction direction, Set<RelationshipType> along) {
        Set<RelationshipType> targetToSource = EnumSet.noneOf(RelationshipType.class);
        Set<RelationshipType> sourceToTarget = EnumSet.noneOf(RelationshipType.class);
        for (RelationshipType type : along) {
            boolean downstreamIsSourceToTarget = type.sourceFailureBreaksTarget();
            boolean sourceToTargetNow = direction == Direction.DOWNSTREAM ? downstreamIsSourceToTarget : !downstreamIsSourceToTarget;
            (sourceToTargetNow ? sourceToTarget : targetToSource).add(type);
        }
        if (topology.edges() != null) {
            List<String[]> steps = topology.projected() ? graph.steps(frontier, targetToSource, sourceToTarget, topology.hidden())
                    : new ArrayList<>();
            for (String ci : frontier) {
                for (Relationship.Ends e : topology.edges().getOrDefault(ci, List.of())) {
                    if (e.targetId().equals(ci) && targetToSource.contains(e.type())) {
                        steps.add(new String[]{ci, e.sourceId()});
                    } else if (e.sourceId().equals(ci) && sourceToTarget.contains(e.type())) {
                        steps.add(new String[]{ci, e.targetId()});
                    }
                }
            }
            return steps;
        }
        Instant asOf = topology.asOf();
        List<String[]> steps = new ArrayList<>();
        List<Relationship> edges = new ArrayList<>(relationships.activeAt("target", frontier, targetToSource, asOf));
        edges.sort(Comparator.comparing(Relationship::id));
        for (Relationship r : edges) {
            steps.add(new String[]{r.targetId(), r.sourceId()});
        }
        edges = new ArrayList<>(relationships.activeAt("source", frontier, sourceToTarget, asOf));
        edges.sort(Comparator.comparing(Relationship::id));
        for (Relationship r : edges) {
            steps.add(new String[]{r.sourceId(), r.targetId()});
        }
        return steps;
    }
}
