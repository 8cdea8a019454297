package io.itsm.cmdb.classes;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.validation.Validator;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.MongoException;

import io.itsm.cmdb.config.CmdbConfig;
import io.itsm.cmdb.repository.CiRepository;
import io.itsm.cmdb.repository.IdentityReindexer;
import io.itsm.rest.EntityTags;
import io.itsm.rest.ProblemException;
import io.itsm.rest.patch.PatchedInput;
import io.quarkus.runtime.StartupEvent;

/**
 * The class hierarchy: seeds the standard classes, keeps a snapshot ({@link ClassHierarchy}) that every replica reads
 * again after {@code itsm.cmdb.classes.refresh} (and at once when it meets a class it does not know), and the admin use
 * cases that add, change and remove classes.
 */
@ApplicationScoped
public class CiClassService {

    private static final Logger LOG = Logger.getLogger(CiClassService.class);
    private static final String STANDARD_CLASSES = "cmdb/standard-classes.json";
    private static final Map<String, String> READ_ONLY = Map.of(
            "name", "is the class's key; create a class of the new name instead",
            "builtIn", "is set by the service", "version", "is set by the service",
            "createdAt", "is set by the service", "updatedAt", "is set by the service");

    @Inject
    CiClassRepository repository;

    @Inject
    CiRepository cis;

    @Inject
    ObjectMapper json;

    @Inject
    Validator validator;

    @Inject
    CmdbConfig config;

    @Inject
    IdentityReindexer reindexer;

    private volatile boolean seeded;
    private volatile ClassHierarchy snapshot;
    private volatile Instant loadedAt = Instant.EPOCH;
    private final AtomicBoolean reloading = new AtomicBoolean();

    void seedAtStart(@Observes StartupEvent start) {
        CompletableFuture.runAsync(() -> {
            try {
                hierarchy();
            } catch (MongoException e) {
                LOG.warnf("could not load the CI classes yet (MongoDB unavailable?): %s", e.getMessage());
            }
        });
    }

    /**
     * The hierarchy as of at most {@code itsm.cmdb.classes.refresh} ago. One request reads a stale snapshot again; the
     * others meanwhile use the snapshot they have rather than wait for it: while MongoDB is away that read takes the
     * server selection timeout, and queued behind it a request spent two timeouts before its 503 (DatastoreRestartTest
     * once saw a refusal after 10.0 s).
     */
    public ClassHierarchy hierarchy() {
        ClassHierarchy current = snapshot;
        if (current == null) {
            return reload();
        }
        if (loadedAt.plus(config.classes().refresh()).isBefore(Instant.now()) && reloading.compareAndSet(false, true)) {
            try {
                return reload();
            } finally {
                reloading.set(false);
            }
        }
        return current;
    }

    /** The hierarchy, read again when it does not know {@code className} (another replica may just have added it). */
    public ClassHierarchy hierarchyKnowing(String className) {
        ClassHierarchy current = hierarchy();
        return current.exists(className) ? current : reload();
    }

    private synchronized ClassHierarchy reload() {
        if (!seeded) {
            int added = 0;
            for (CiClass standard : standardClasses()) {
                added += repository.insert(standard) ? 1 : 0;
            }
            if (added > 0) {
                LOG.infof("seeded %d standard CI classes", added);
            }
            seeded = true;
        }
        snapshot = new ClassHierarchy(repository.findAll(), json);
        loadedAt = Instant.now();
        return snapshot;
    }

    List<CiClass> standardClasses() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(STANDARD_CLASSES)) {
            List<CiClassInput> inputs = json.readValue(in, new TypeReference<List<CiClassInput>>() {
            });
            Instant now = now();
            return inputs.stream().map(i -> i.toClass(true, 0, now, now)).toList();
        } catch (IOException e) {
            throw new IllegalStateException("the standard classes are not readable", e);
        }
    }

    public Optional<CiClass> find(String name) {
        return hierarchyKnowing(name).find(name);
    }

    /** @throws ProblemException 400 for an invalid definition, 409 when the name is taken */
    public CiClass create(CiClassInput input) {
        ClassHierarchy current = reload();
        if (current.exists(input.name())) {
            throw ProblemException.conflict("class " + input.name() + " exists already");
        }
        Instant now = now();
        CiClass created = input.toClass(false, 0, now, now);
        requireValid(created, current.all());
        if (!repository.insert(created)) {
            throw ProblemException.conflict("class " + input.name() + " exists already");
        }
        reload();
        return created;
    }

    /**
     * Applies a JSON Merge Patch to a class the client saw at {@code ifMatch}. CIs of the class are checked against a
     * changed schema when they are next written.
     *
     * @throws ProblemException 404, 428, 412, 400
     */
    public CiClass update(String name, String ifMatch, JsonNode patch) {
        ClassHierarchy current = reload();
        CiClass existing = current.find(name).orElseThrow(() -> ProblemException.notFound("class", name));
        EntityTags.requireMatch(ifMatch, existing.version());
        CiClassInput input = PatchedInput.apply(CiClassInput.of(existing), patch, READ_ONLY, json, validator);
        CiClass updated = input.toClass(existing.builtIn(), existing.version() + 1, existing.createdAt(), now());
        requireValid(updated, current.all().stream().filter(c -> !c.name().equals(name)).toList());
        CiClass stored = repository.replace(updated, existing.version()).orElseThrow(() -> stale(name));
        ClassHierarchy after = reload();
        if (!java.util.Objects.equals(existing.identifierRules(), stored.identifierRules()) || !java.util.Objects.equals(existing.parent(), stored.parent())) {
            reindexer.reindex(after.selfAndDescendants(name), after);
        }
        return stored;
    }

    /** @throws ProblemException 404, 428, 412, 409 (a standard class, one with subclasses, or one that CIs use) */
    public void delete(String name, String ifMatch) {
        ClassHierarchy current = reload();
        CiClass existing = current.find(name).orElseThrow(() -> ProblemException.notFound("class", name));
        EntityTags.requireMatch(ifMatch, existing.version());
        if (existing.builtIn()) {
            throw ProblemException.conflict("class " + name + " is a standard class; it can be changed, not deleted");
        }
        if (!current.childrenOf(name).isEmpty()) {
            throw ProblemException.conflict("class " + name + " has subclasses " + current.childrenOf(name) + "; delete them first");
        }
        long used = cis.countOfClass(name);
        if (used > 0) {
            throw ProblemException.conflict("class " + name + " is the class of " + used + " CI" + (used == 1 ? "" : "s"));
        }
        if (current.all().stream().anyMatch(c -> c.relationships() != null && c.relationships().stream().anyMatch(r -> r.targetClasses().contains(name)))) {
            throw ProblemException.conflict("class " + name + " is named by another class's relationship rules; change them first");
        }
        if (!repository.delete(name, existing.version())) {
            throw stale(name);
        }
        reload();
    }

    private void requireValid(CiClass candidate, List<CiClass> others) {
        var errors = ClassDefinitions.check(candidate, others, json);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
    }

    private static ProblemException stale(String name) {
        return new ProblemException(412, "precondition-failed", "Precondition failed",
                "class " + name + " was changed by someone else meanwhile; read it again and retry");
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
