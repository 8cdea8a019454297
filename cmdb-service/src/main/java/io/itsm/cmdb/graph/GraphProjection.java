package io.itsm.cmdb.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.itsm.cmdb.domain.Relationship;
import io.itsm.cmdb.domain.RelationshipType;
import io.itsm.cmdb.repository.RelationshipRepository;
import io.quarkus.runtime.StartupEvent;

/**
 * The active relationship graph in memory, for impact analysis: every edge in both directions, CI ids interned as ints
 * and each edge packed into one int (neighbour index and type), so 400,000 edges take a few MB. A walk over it touches
 * no store — the MongoDB-wire store ignores the secondary indexes on {@code sourceId}/{@code targetId}, so each level of
 * a walk there scans every relationship.
 *
 * <p>Kept current from three sides: loaded from the store at start (in the background; until then impact analysis reads
 * the store), the writes of this replica applied as they succeed (read-your-writes), and {@code itsm.cmdb.events} read by
 * every replica with a group of its own (other replicas' writes, within the event latency). Applying is idempotent, and
 * an edge deleted by an event is never re-added by the load that may have read it before.
 */
@ApplicationScoped
public class GraphProjection {

    private static final Logger LOG = Logger.getLogger(GraphProjection.class);
    private static final RelationshipType[] TYPES = RelationshipType.values();

    @Inject
    RelationshipRepository relationships;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Integer> index = new HashMap<>();
    private String[] ids = new String[1024];
    private Adjacency[] out = new Adjacency[1024];
    private Adjacency[] in = new Adjacency[1024];
    private long edges;
    private final Set<String> deletedBeforeLoad = ConcurrentHashMap.newKeySet();
    private volatile boolean ready;

    void load(@Observes StartupEvent start) {
        CompletableFuture.runAsync(this::loadNow);
    }

    /** Reads every active edge from the store; while the store is away, tries again in 5 s (on another thread, no sleep). */
    void loadNow() {
        try {
            long t0 = System.nanoTime();
            int[] count = {0};
            relationships.forEachActive(r -> {
                if (!deletedBeforeLoad.contains(r.id())) {
                    add(r);
                    count[0]++;
                }
            });
            ready = true;
            deletedBeforeLoad.clear();
            LOG.infof("relationship graph loaded: %d edges in %d ms", count[0], (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.warnf("could not load the relationship graph yet (MongoDB unavailable?): %s; retrying in 5 s", e.getMessage());
            CompletableFuture.runAsync(this::loadNow, CompletableFuture.delayedExecutor(5, java.util.concurrent.TimeUnit.SECONDS));
        }
    }

    /** Whether the graph is complete (loaded); until then callers read the store. */
    public boolean ready() {
        return ready;
    }

    public long edgeCount() {
        return edges;
    }

    /** An edge exists (idempotent). */
    public void add(Relationship r) {
        lock.writeLock().lock();
        try {
            int source = intern(r.sourceId());
            int target = intern(r.targetId());
            int type = r.type().ordinal();
            if (out[source].add(target << 3 | type)) {
                in[target].add(source << 3 | type);
                edges++;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** An edge is gone (idempotent). */
    public void remove(Relationship r) {
        if (!ready) {
            deletedBeforeLoad.add(r.id());
        }
        lock.writeLock().lock();
        try {
            Integer source = index.get(r.sourceId());
            Integer target = index.get(r.targetId());
            if (source == null || target == null) {
                return;
            }
            int type = r.type().ordinal();
            if (out[source].remove(target << 3 | type)) {
                in[target].remove(source << 3 | type);
                edges--;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The steps from each frontier CI along edges of the given types: from target to source for {@code targetToSource},
     * from source to target for {@code sourceToTarget}, as (from, to) pairs.
     */
    public List<String[]> steps(List<String> frontier, Set<RelationshipType> targetToSource, Set<RelationshipType> sourceToTarget) {
        return steps(frontier, targetToSource, sourceToTarget, Set.of());
    }

    /** {@link #steps(List, Set, Set)} leaving out the edges {@code hidden} names (e.g. those made after an instant). */
    public List<String[]> steps(List<String> frontier, Set<RelationshipType> targetToSource, Set<RelationshipType> sourceToTarget,
                                Set<Relationship.Ends> hidden) {
        List<String[]> steps = new ArrayList<>();
        lock.readLock().lock();
        try {
            for (String ci : frontier) {
                Integer at = index.get(ci);
                if (at == null) {
                    continue;
                }
                in[at].forEach(packed -> {
                    RelationshipType type = TYPES[packed & 7];
                    if (targetToSource.contains(type)
                            && (hidden.isEmpty() || !hidden.contains(new Relationship.Ends(ids[packed >>> 3], type, ci)))) {
                        steps.add(new String[]{ci, ids[packed >>> 3]});
                    }
                });
                out[at].forEach(packed -> {
                    RelationshipType type = TYPES[packed & 7];
                    if (sourceToTarget.contains(type)
                            && (hidden.isEmpty() || !hidden.contains(new Relationship.Ends(ci, type, ids[packed >>> 3])))) {
                        steps.add(new String[]{ci, ids[packed >>> 3]});
                    }
                });
            }
        } finally {
            lock.readLock().unlock();
        }
        return steps;
    }

    /** The active edges that touch {@code ciId}, at either end, as (source, type, target). */
    public List<Relationship.Ends> edgesOf(String ciId) {
        List<Relationship.Ends> ends = new ArrayList<>();
        lock.readLock().lock();
        try {
            Integer at = index.get(ciId);
            if (at != null) {
                out[at].forEach(packed -> ends.add(new Relationship.Ends(ciId, TYPES[packed & 7], ids[packed >>> 3])));
                in[at].forEach(packed -> ends.add(new Relationship.Ends(ids[packed >>> 3], TYPES[packed & 7], ciId)));
            }
        } finally {
            lock.readLock().unlock();
        }
        return ends;
    }

    private int intern(String ciId) {
        Integer known = index.get(ciId);
        if (known != null) {
            return known;
        }
        int next = index.size();
        if (next == ids.length) {
            ids = Arrays.copyOf(ids, next * 2);
            out = Arrays.copyOf(out, next * 2);
            in = Arrays.copyOf(in, next * 2);
        }
        ids[next] = ciId;
        out[next] = new Adjacency();
        in[next] = new Adjacency();
        index.put(ciId, next);
        return next;
    }

    /** A growable set of packed edges; small, so membership is a scan. */
    static final class Adjacency {
        private int[] items = new int[2];
        private int size;

        boolean add(int value) {
            for (int i = 0; i < size; i++) {
                if (items[i] == value) {
                    return false;
                }
            }
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = value;
            return true;
        }

        boolean remove(int value) {
            for (int i = 0; i < size; i++) {
                if (items[i] == value) {
                    items[i] = items[--size];
                    return true;
                }
            }
            return false;
        }

        void forEach(java.util.function.IntConsumer each) {
            for (int i = 0; i < size; i++) {
                each.accept(items[i]);
            }
        }
    }
}
