package io.itsm.cmdb.repository;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.bson.Document;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;

import io.itsm.cmdb.classes.ClassHierarchy;
import io.itsm.cmdb.domain.ConfigurationItem;

/**
 * Finds CIs by their identifiers fast on any store: the {@code ci_identity} collection maps each identifier key — the
 * scope class of an identifier rule and the rule's field values, e.g. {@code hardware|serialNumber="SN-1"} — to the ids
 * of the CIs that have it. Lookups are by {@code _id}, which every store indexes (the MongoDB-wire store ignores
 * non-unique indexes, so a query on {@code attributes.serialNumber} would scan every CI).
 *
 * <p>It is a hint, not the truth: keys are added <b>before</b> a CI write and stale ones removed after, so a crash can
 * leave a key naming a CI that does not have it (never the reverse), and every candidate is checked against the CI
 * itself ({@link #keysOf}) before it counts as a match.
 */
@ApplicationScoped
public class IdentityIndex {

    static final String COLLECTION = "ci_identity";
    private static final String CI_IDS = "ciIds";

    @Inject
    CmdbDatabase db;

    @Inject
    ObjectMapper json;

    /** An identifier key and the rule it comes from (its position in the scope's rules and its fields). */
    public record Key(String value, int rule, List<String> fields) {
    }

    /**
     * The identifier keys of a CI, or of an import item shaped as a CI, under the identifier rules of its class: one per
     * rule whose fields all have values. A retired CI has none (it is never matched).
     */
    public List<Key> keysOf(ConfigurationItem ci, ClassHierarchy classes) {
        List<Key> keys = new ArrayList<>();
        if (ci.isRetired() || !classes.exists(ci.ciClass())) {
            return keys;
        }
        classes.identifierRules(ci.ciClass()).ifPresent(scoped -> {
            for (int r = 0; r < scoped.rules().size(); r++) {
                List<String> fields = scoped.rules().get(r);
                StringBuilder key = new StringBuilder(scoped.definedBy());
                boolean complete = true;
                for (String field : fields) {
                    Object value = valueOf(ci, field);
                    if (value == null || value instanceof String text && text.isBlank()) {
                        complete = false;
                        break;
                    }
                    key.append('|').append(field).append('=').append(text(value));
                }
                if (complete) {
                    keys.add(new Key(key.toString(), r, fields));
                }
            }
        });
        return keys;
    }

    private static Object valueOf(ConfigurationItem ci, String field) {
        return switch (field) {
            case "name" -> ci.name();
            case "ciClass" -> ci.ciClass();
            case "status" -> ci.status() == null ? null : ci.status().name();
            case "environment" -> ci.environment() == null ? null : ci.environment().name();
            case "criticality" -> ci.criticality();
            case "owner" -> ci.owner();
            case "supportGroup" -> ci.supportGroup();
            default -> ci.attributes() == null ? null : ci.attributes().get(field);
        };
    }

    private String text(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    /** The CI ids recorded under each of the keys (keys nobody has are absent). */
    public Map<String, Set<String>> lookup(Collection<String> keys) {
        Map<String, Set<String>> found = new HashMap<>();
        for (List<String> part : Batches.of(new LinkedHashSet<>(keys))) {
            identities().find(Filters.in("_id", part))
                    .forEach(d -> found.put(d.getString("_id"), new LinkedHashSet<>(d.getList(CI_IDS, String.class, List.of()))));
        }
        return found;
    }

    /** Records that each CI has its keys (call before writing the CIs). */
    public void add(Map<String, List<Key>> keysByCi) {
        write(keysByCi, true);
    }

    /**
     * Records that each CI has its keys, as {@link #add(Map)}, given the keys a {@link #lookup} just before found
     * ({@code found}): a key it did not find and that only one of these CIs has is inserted (one write of a new document)
     * instead of upserted (a read, then a write, in the MongoDB-wire store). A key inserted meanwhile by another writer
     * is upserted after all.
     */
    public void addNew(Map<String, List<Key>> keysByCi, Set<String> found) {
        Map<String, Integer> holders = new HashMap<>();
        keysByCi.values().forEach(keys -> keys.forEach(key -> holders.merge(key.value(), 1, Integer::sum)));
        Set<String> absent = new HashSet<>();
        holders.forEach((key, count) -> {
            if (count == 1 && !found.contains(key)) {
                absent.add(key);
            }
        });
        Map<String, List<Key>> existing = new HashMap<>();
        List<Document> fresh = new ArrayList<>();
        List<String[]> freshPairs = new ArrayList<>();     // {key, ci id} of each fresh document, by position
        keysByCi.forEach((ciId, keys) -> keys.forEach(key -> {
            if (absent.contains(key.value())) {
                fresh.add(new Document("_id", key.value()).append(CI_IDS, List.of(ciId)));
                freshPairs.add(new String[] {key.value(), ciId});
            } else {
                existing.computeIfAbsent(ciId, id -> new ArrayList<>()).add(key);
            }
        }));
        List<WriteModel<Document>> raced = new ArrayList<>();
        for (int from = 0; from < fresh.size(); from += Batches.SIZE) {
            int to = Math.min(fresh.size(), from + Batches.SIZE);
            try {
                identities().insertMany(fresh.subList(from, to), new InsertManyOptions().ordered(false));
            } catch (MongoBulkWriteException e) {
                for (BulkWriteError error : e.getWriteErrors()) {
                    if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                        throw e;
                    }
                    String[] pair = freshPairs.get(from + error.getIndex());
                    raced.add(addition(pair[0], pair[1]));
                }
            }
        }
        for (List<WriteModel<Document>> part : Batches.of(raced)) {
            identities().bulkWrite(part, new BulkWriteOptions().ordered(false));
        }
        write(existing, true);
    }

    /** Forgets keys the CIs no longer have (call after writing the CIs). */
    public void remove(Map<String, List<Key>> keysByCi) {
        write(keysByCi, false);
    }

    private void write(Map<String, List<Key>> keysByCi, boolean add) {
        List<WriteModel<Document>> writes = new ArrayList<>();
        keysByCi.forEach((ciId, keys) -> keys.forEach(key -> writes.add(add
                ? addition(key.value(), ciId)
                : new UpdateOneModel<>(Filters.eq("_id", key.value()), Updates.pull(CI_IDS, ciId)))));
        for (List<WriteModel<Document>> part : Batches.of(writes)) {
            identities().bulkWrite(part, new BulkWriteOptions().ordered(false));
        }
    }

    private static WriteModel<Document> addition(String key, String ciId) {
        return new UpdateOneModel<>(Filters.eq("_id", key), Updates.addToSet(CI_IDS, ciId), new UpdateOptions().upsert(true));
    }

    private MongoCollection<Document> identities() {
        return db.collection(COLLECTION);
    }
}
