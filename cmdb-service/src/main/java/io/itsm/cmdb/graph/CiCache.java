package io.itsm.cmdb.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.itsm.cmdb.config.CmdbConfig;
import io.itsm.cmdb.domain.ConfigurationItem;

/**
 * The most recently used CIs in memory (at most {@code itsm.cmdb.impact.ci-cache-size}), for the CIs an impact answer
 * lists: with the walk in memory too, a repeated analysis reads nothing from the store. Kept current like the graph:
 * every CI this replica writes, and the full state every {@code itsm.ci.*} event carries (other replicas' writes,
 * within the event latency); an older version never replaces a newer one. Single-CI reads ({@code GET}, the ETag of
 * a change) always read the store.
 */
@ApplicationScoped
public class CiCache {

    private final Map<String, ConfigurationItem> items;

    @Inject
    public CiCache(CmdbConfig config) {
        int capacity = config.impact().ciCacheSize();
        this.items = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ConfigurationItem> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The CIs with these ids: from memory where known, the rest from {@code load} (and remembered). */
    public Map<String, ConfigurationItem> getAll(Collection<String> ids, Function<Collection<String>, List<ConfigurationItem>> load) {
        Map<String, ConfigurationItem> found = new HashMap<>();
        List<String> missing = new ArrayList<>();
        synchronized (items) {
            for (String id : ids) {
                ConfigurationItem ci = items.get(id);
                if (ci == null) {
                    missing.add(id);
                } else {
                    found.put(id, ci);
                }
            }
        }
        if (!missing.isEmpty()) {
            for (ConfigurationItem ci : load.apply(missing)) {
                put(ci);
                found.put(ci.id(), ci);
            }
        }
        return found;
    }

    /** A CI's state as written or as an event carried it; kept unless a newer version is known. */
    public void put(ConfigurationItem ci) {
        synchronized (items) {
            ConfigurationItem known = items.get(ci.id());
            if (known == null || known.version() <= ci.version()) {
                items.put(ci.id(), ci);
            }
        }
    }

    public void evict(String id) {
        synchronized (items) {
            items.remove(id);
        }
    }
}
