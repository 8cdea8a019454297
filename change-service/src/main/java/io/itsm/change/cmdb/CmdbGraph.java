package io.itsm.change.cmdb;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;

import io.itsm.change.MaintenanceWindow;

/**
 * Reads the CMDB read model: what CIs depend on (upstream), what depends on them (downstream), each reached CI with
 * its shortest distance; their criticality and maintenance windows. A recursive query in PostgreSQL, bounded by depth, so cycles end.
 */
@ApplicationScoped
public class CmdbGraph {

    @Inject
    EntityManager entityManager;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper objectMapper;

    /** The CIs that {@code start} needs, transitively up to {@code depth} hops, with their distance (start CIs excluded). */
    public Map<UUID, Integer> upstream(Collection<UUID> start, int depth) {
        return walk(start, depth, "dependent_id", "dependency_id");
    }

    /** The CIs that need {@code start}, transitively up to {@code depth} hops: what breaks when they fail. */
    public Map<UUID, Integer> downstream(Collection<UUID> start, int depth) {
        return walk(start, depth, "dependency_id", "dependent_id");
    }

    /** The CIs within {@code depth} hops either way, with their distance. */
    public Map<UUID, Integer> related(Collection<UUID> start, int depth) {
        Map<UUID, Integer> related = new HashMap<>(upstream(start, depth));
        downstream(start, depth).forEach((ci, d) -> related.merge(ci, d, Math::min));
        return related;
    }

    /** The most critical criticality (1 highest) among the known CIs, if any is known. */
    public OptionalInt mostCritical(Collection<UUID> cis) {
        if (cis.isEmpty()) {
            return OptionalInt.empty();
        }
        Integer min = entityManager.createQuery("select min(c.criticality) from KnownCi c where c.id in :ids", Integer.class)
                .setParameter("ids", cis).setFlushMode(FlushModeType.COMMIT).getSingleResult();
        return min == null ? OptionalInt.empty() : OptionalInt.of(min);
    }

    /** The maintenance windows of those of {@code cis} that have one. */
    public Map<UUID, MaintenanceWindow> maintenanceWindows(Collection<UUID> cis) {
        Map<UUID, MaintenanceWindow> windows = new HashMap<>();
        if (cis.isEmpty()) {
            return windows;
        }
        List<Object[]> rows = entityManager.createQuery("select c.id, c.maintenanceWindow from KnownCi c where c.id in :ids and c.maintenanceWindow is not null",
                Object[].class).setParameter("ids", cis).setFlushMode(FlushModeType.COMMIT).getResultList();
        for (Object[] row : rows) {
            try {
                MaintenanceWindow.fromAttribute(objectMapper.readTree((String) row[1])).ifPresent(w -> windows.put((UUID) row[0], w));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("stored maintenance window is not JSON", e);
            }
        }
        return windows;
    }

    @SuppressWarnings("unchecked")
    private Map<UUID, Integer> walk(Collection<UUID> start, int depth, String from, String to) {
        Map<UUID, Integer> reached = new HashMap<>();
        if (start.isEmpty() || depth < 1) {
            return reached;
        }
        List<Object[]> rows = entityManager.createNativeQuery("""
                        with recursive walk(ci, distance) as (
                            select d.%2$s, 1 from ci_dependency d where not d.deleted and d.%1$s in (:start)
                            union
                            select d.%2$s, w.distance + 1 from ci_dependency d join walk w on d.%1$s = w.ci
                             where not d.deleted and w.distance < :depth)
                        select ci, min(distance) from walk group by ci""".formatted(from, to))
                .setParameter("start", start).setParameter("depth", depth).setFlushMode(FlushModeType.COMMIT).getResultList();
        for (Object[] row : rows) {
            UUID ci = (UUID) row[0];
            if (!start.contains(ci)) {
                reached.put(ci, ((Number) row[1]).intValue());
            }
        }
        return reached;
    }
}
