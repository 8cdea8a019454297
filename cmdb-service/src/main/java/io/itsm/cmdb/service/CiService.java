package io.itsm.cmdb.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.itsm.cmdb.classes.CiClassService;
import io.itsm.cmdb.classes.ClassHierarchy;
import io.itsm.cmdb.domain.CiEventData;
import io.itsm.cmdb.domain.CiStatus;
import io.itsm.cmdb.domain.ConfigurationItem;
import io.itsm.cmdb.domain.Relationship;
import io.itsm.cmdb.repository.RelationshipRepository;
import io.itsm.events.FieldChange;
import io.itsm.cmdb.repository.CiNumberSequence;
import io.itsm.cmdb.repository.CiRepository;
import io.itsm.events.EventTypes;
import io.itsm.events.mongodb.quarkus.DocumentOutbox;
import io.itsm.events.outbox.OutboxEntry;
import io.itsm.rest.EntityTags;
import io.itsm.rest.Problem;
import io.itsm.rest.ProblemException;

/**
 * The CI use cases. Each change computes the CI's new state, builds its event from exactly that state, and
 * hands both to the repository for one single-document write; the relay is woken once it succeeded.
 */
@ApplicationScoped
public class CiService {

    static final CiStatus DEFAULT_STATUS = CiStatus.INSTALLED;
    static final int DEFAULT_CRITICALITY = 3;

    @Inject
    CiRepository repository;

    @Inject
    CiNumberSequence numbers;

    @Inject
    DocumentOutbox outbox;

    @Inject
    RelationshipRepository relationships;

    @Inject
    RelationshipService relationshipService;

    @Inject
    CiClassService classService;

    public ConfigurationItem create(NewCi request) {
        requireValidClassAndAttributes(request.ciClass(), request.attributes());
        String id = UUID.randomUUID().toString();
        Instant now = now();
        ConfigurationItem ci = new ConfigurationItem(id, numbers.next(), request.ciClass(), request.name(),
                request.status() == null ? DEFAULT_STATUS : request.status(), request.environment(),
                request.criticality() == null ? DEFAULT_CRITICALITY : request.criticality(),
                request.owner(), request.supportGroup(),
                request.attributes() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(request.attributes()),
                0, now, now);
        OutboxEntry created = outbox.eventOfType(EventTypes.CI_CREATED, id, new CiEventData(ci, List.of()));
        outbox.write(() -> {
            repository.insert(ci, created);
            return ci;
        });
        return ci;
    }

    /**
     * @throws ProblemException 422 when the class does not exist, 400 naming each attribute the class's schema refuses
     */
    private void requireValidClassAndAttributes(String ciClass, java.util.Map<String, Object> attributes) {
        ClassHierarchy classes = classService.hierarchyKnowing(ciClass);
        if (!classes.exists(ciClass)) {
            throw ProblemException.unprocessable("ciClass", "names class " + ciClass + ", which does not exist (GET /api/cmdb/classes lists them)");
        }
        List<Problem.FieldError> errors = classes.validateAttributes(ciClass, attributes);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
    }

    public Optional<ConfigurationItem> find(String id) {
        return repository.find(id);
    }

    public List<ConfigurationItem> newest(int limit) {
        return repository.newest(limit);
    }

    /**
     * Retires a CI the client saw at the version named by {@code ifMatch}.
     *
     * @param deleteRelationships delete its active relationships first (each with its event); without it, a CI that
     *                            has any is refused, so no edge is left pointing at a retired CI by accident
     * @throws ProblemException 404 unknown CI, 428 no If-Match, 412 stale If-Match (also when the CI changes
     *                          between the check and the write), 409 already retired or still related
     */
    public ConfigurationItem retire(String id, String ifMatch, boolean deleteRelationships) {
        ConfigurationItem current = repository.find(id).orElseThrow(() -> ProblemException.notFound("CI", id));
        EntityTags.requireMatch(ifMatch, current.version());
        if (current.isRetired()) {
            throw ProblemException.conflict("CI " + current.number() + " is already retired");
        }
        List<Relationship> edges = relationships.activeOf(id);
        if (!edges.isEmpty() && !deleteRelationships) {
            throw ProblemException.conflict("CI " + current.number() + " has " + edges.size() + " active relationship"
                    + (edges.size() == 1 ? "" : "s") + "; delete them first, or retire with ?relationships=delete");
        }
        for (Relationship edge : edges) {
            relationshipService.delete(edge.id(), EntityTags.of(edge.version()).toString());
        }
        ConfigurationItem retired = current.retired(now());
        OutboxEntry event = outbox.eventOfType(EventTypes.CI_RETIRED, id, new CiEventData(retired,
                List.of(new FieldChange("status", current.status().name(), retired.status().name()))));
        return outbox.write(() -> repository.retire(id, current.version(), retired.updatedAt(), event))
                .orElseThrow(() -> new ProblemException(412, "precondition-failed", "Precondition failed",
                        "CI " + current.number() + " was changed by someone else meanwhile; read it again and retry"));
    }

    /** Timestamps are kept to the millisecond, the precision MongoDB stores, so API, document and event agree. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
