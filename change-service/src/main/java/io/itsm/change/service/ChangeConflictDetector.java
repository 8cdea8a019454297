package io.itsm.change.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;

import io.itsm.change.ChangeRequest;
import io.itsm.change.blackout.BlackoutWindow;
import io.itsm.change.cmdb.CmdbGraph;
import io.itsm.change.config.ChangeConfig;
import io.itsm.change.ChangeState;
import io.itsm.change.Conflict;

/**
 * Finds what stands in the way of a change's planned window: every other SCHEDULED or IMPLEMENT change whose
 * window overlaps it and that touches one of the same CIs or a CI related to them in the CMDB (within
 * {@code itsm.change.conflicts.related-depth} hops either way; one conflict per CI), every blackout window that
 * freezes one of its CIs (or all CIs) during it, and every CI in scope whose maintenance window it does not fit into.
 */
@ApplicationScoped
public class ChangeConflictDetector {

    static final Set<ChangeState> OCCUPYING = EnumSet.of(ChangeState.SCHEDULED, ChangeState.IMPLEMENT);

    @Inject
    EntityManager entityManager;

    @Inject
    CmdbGraph graph;

    @Inject
    ChangeConfig config;

    /** The CIs whose changes may conflict with this one's: its own, and those related to them, with their CMDB distance (0: its own). */
    public Map<UUID, Integer> scopeOf(ChangeRequest change) {
        Map<UUID, Integer> scope = new HashMap<>(graph.related(change.configurationItemIds(), config.conflicts().relatedDepth()));
        change.configurationItemIds().forEach(ci -> scope.put(ci, 0));
        return scope;
    }

    /** The conflicts of {@code change}'s window, in time order; none while it has no window or no CI. */
    public List<Conflict> conflictsOf(ChangeRequest change) {
        if (change.plannedStart() == null || change.plannedEnd() == null || change.configurationItemIds().isEmpty()) {
            return List.of();
        }
        List<Conflict> conflicts = new ArrayList<>();
        Map<UUID, Integer> scope = scopeOf(change);
        for (Object[] row : occupying(scope.keySet(), change.plannedStart(), change.plannedEnd(), change.id)) {
            UUID ci = (UUID) row[5];
            int distance = scope.getOrDefault(ci, 0);
            String what = distance == 0 ? "also changes CI " + ci
                    : "changes CI " + ci + ", which is related to a CI of this change in the CMDB (" + distance + " hop" + (distance == 1 ? "" : "s") + ")";
            conflicts.add(new Conflict(Conflict.Kind.CHANGE, (UUID) row[0], (String) row[1], ci, null, (Instant) row[3], (Instant) row[4],
                    row[1] + " (" + row[2] + ", " + row[3] + " to " + row[4] + ") " + what));
        }
        for (BlackoutWindow blackout : blackoutsDuring(change.plannedStart(), change.plannedEnd())) {
            if (blackout.blocks(change.configurationItemIds(), change.plannedStart(), change.plannedEnd())) {
                conflicts.add(new Conflict(Conflict.Kind.BLACKOUT, null, null, null, blackout.id, blackout.startsAt(), blackout.endsAt(),
                        "blackout window '" + blackout.name() + "' (" + blackout.startsAt() + " to " + blackout.endsAt() + ")"
                                + (blackout.configurationItemIds().isEmpty() ? " freezes every CI" : " freezes a CI of this change")));
            }
        }
        graph.maintenanceWindows(change.configurationItemIds()).forEach((ci, window) -> {
            if (!window.contains(change.plannedStart(), change.plannedEnd())) {
                conflicts.add(new Conflict(Conflict.Kind.MAINTENANCE_WINDOW, null, null, ci, null, change.plannedStart(), change.plannedEnd(),
                        "the planned window is outside the maintenance window of CI " + ci + " (" + window + ")"));
            }
        });
        conflicts.sort(Comparator.comparing(Conflict::from).thenComparing(Conflict::reason));
        return List.copyOf(conflicts);
    }

    /**
     * The SCHEDULED and IMPLEMENT changes other than {@code exclude} whose window overlaps [start, end) and that
     * touch one of {@code cis}: rows of id, number, state, plannedStart, plannedEnd and the shared CI (a projection,
     * so that no change entity is loaded).
     */
    public List<Object[]> occupying(Set<UUID> cis, Instant start, Instant end, UUID exclude) {
        return entityManager.createQuery("""
                        select c.id, c.number, c.state, c.plannedStart, c.plannedEnd, ci from ChangeRequest c join c.configurationItemIds ci
                         where c.id <> :id and c.state in :occupying and c.plannedStart < :end and c.plannedEnd > :start
                           and ci in :cis""", Object[].class)
                .setParameter("id", exclude).setParameter("occupying", OCCUPYING)
                .setParameter("start", start).setParameter("end", end).setParameter("cis", cis)
                .setFlushMode(FlushModeType.COMMIT) // reads other changes only: the caller's pending changes need no flush
                .getResultList();
    }

    /** The blackout windows that overlap [start, end), whatever CIs they freeze. */
    public List<BlackoutWindow> blackoutsDuring(Instant start, Instant end) {
        return entityManager.createQuery("select b from BlackoutWindow b where b.startsAt < :end and b.endsAt > :start", BlackoutWindow.class)
                .setParameter("start", start).setParameter("end", end).setFlushMode(FlushModeType.COMMIT).getResultList();
    }
}
