package io.itsm.cmdb.repository;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.mongodb.MongoException;

import io.itsm.cmdb.classes.ClassHierarchy;
import io.quarkus.runtime.StartupEvent;

/**
 * Adds the identifier keys CIs have under the current identifier rules: after an admin changed a class's rules (for the
 * CIs of that class and its subclasses), and at start when the index is empty but CIs exist (a store from before it).
 * Keys of old rules stay until the CI's next write; they are harmless, as every candidate is verified.
 */
@ApplicationScoped
public class IdentityReindexer {

    private static final Logger LOG = Logger.getLogger(IdentityReindexer.class);

    @Inject
    CmdbDatabase db;

    @Inject
    CiRepository cis;

    @Inject
    IdentityIndex identity;

    void atStart(@Observes StartupEvent start, io.itsm.cmdb.classes.CiClassService classes) {
        CompletableFuture.runAsync(() -> {
            try {
                if (db.collection(IdentityIndex.COLLECTION).estimatedDocumentCount() == 0
                        && db.collection(CmdbDatabase.CIS).estimatedDocumentCount() > 0) {
                    ClassHierarchy hierarchy = classes.hierarchy();
                    int n = reindex(hierarchy.selfAndDescendants("configuration_item"), hierarchy);
                    LOG.infof("indexed the identifiers of %d existing CIs", n);
                }
            } catch (MongoException e) {
                LOG.warnf("could not check the identity index yet (MongoDB unavailable?): %s", e.getMessage());
            }
        });
    }

    /** Adds the keys of every CI of these classes; returns how many CIs were indexed. */
    public int reindex(Set<String> classes, ClassHierarchy hierarchy) {
        Map<String, List<IdentityIndex.Key>> batch = new HashMap<>();
        int[] count = {0};
        cis.forEachOfClasses(classes, ci -> {
            batch.put(ci.id(), new ArrayList<>(identity.keysOf(ci, hierarchy)));
            count[0]++;
            if (batch.size() >= 1000) {
                identity.add(batch);
                batch.clear();
            }
        });
        identity.add(batch);
        return count[0];
    }
}
