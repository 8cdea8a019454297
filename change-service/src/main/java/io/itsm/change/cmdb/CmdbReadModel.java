package io.itsm.change.cmdb;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.itsm.change.MaintenanceWindow;
import io.itsm.change.config.ChangeConfig;
import io.itsm.change.service.ChangeService;
import io.itsm.events.CloudEvent;
import io.itsm.events.EventTypes;
import io.itsm.events.MalformedEventException;
import io.itsm.events.RelationshipDirections;
import io.itsm.rest.security.Actor;

/**
 * Applies CMDB events to the local CMDB read model: CIs (number, name, status, criticality, maintenance window) and relationships as
 * dependent → dependency edges. Events carry the full state and version, so applying is order-insensitive: a newer
 * version replaces an older one, a late older one changes nothing.
 */
@ApplicationScoped
public class CmdbReadModel {

    @Inject
    ObjectMapper objectMapper;

    @Inject
    CmdbGraph graph;

    @Inject
    ChangeConfig config;

    @Inject
    ChangeService changes;

    /** Applies one CMDB event; runs inside the inbox transaction. */
    public void apply(CloudEvent event) {
        applyAll(List.of(event));
    }

    /**
     * Applies a batch of CMDB events in delivery order, inside the batch's inbox transaction: first each event to the
     * read model, then, once for all the CIs they touched, what follows from it (the same result as event by event,
     * with one walk of the graph instead of one per event).
     */
    public void applyAll(List<CloudEvent> events) {
        Set<UUID> touched = new HashSet<>();
        for (CloudEvent event : events) {
            touched.addAll(applyToReadModel(event));
        }
        if (!touched.isEmpty()) {
            // the CIs' criticality, maintenance window or neighbourhood changed: so did the blast radius of the changes
            // on them and upstream of them, and the conflicts of the changes on them and related to them
            KnownCi.flush(); // the walks below read the graph as it is now
            Set<UUID> affected = new HashSet<>(touched);
            affected.addAll(graph.upstream(touched, config.risk().blastRadiusDepth()).keySet());
            affected.addAll(graph.related(touched, config.conflicts().relatedDepth()).keySet());
            changes.reevaluateOpenChangesOn(affected, true, Actor.SYSTEM);
        }
    }

    /** @return the CIs whose state in the read model changed */
    private Set<UUID> applyToReadModel(CloudEvent event) {
        JsonNode data;
        try {
            data = objectMapper.readTree(event.data());
        } catch (java.io.IOException e) {
            throw new MalformedEventException("data is not JSON: " + e.getMessage(), e);
        }
        if (event.type().startsWith("itsm.ci.")) {
            return applyCi(event, data.path("ci"));
        } else if (event.type().startsWith("itsm.relationship.")) {
            return applyRelationship(event, data.path("relationship"));
        }
        return Set.of();
    }

    /** @return the CI whose state changed, if it did */
    private Set<UUID> applyCi(CloudEvent event, JsonNode ci) {
        UUID id = uuid(ci, "ci", "id");
        long version = required(ci, "ci", "version").asLong();
        KnownCi known = KnownCi.findById(id);
        if (EventTypes.CI_DELETED.equals(event.type())) {
            if (known != null && known.version <= version) {
                known.delete();
                return Set.of(id);
            }
            return Set.of();
        }
        if (known == null) {
            known = new KnownCi();
            known.id = id;
        } else if (known.version >= version) {
            return Set.of();
        }
        known.number = required(ci, "ci", "number").asText();
        known.name = required(ci, "ci", "name").asText();
        known.status = required(ci, "ci", "status").asText();
        known.criticality = ci.path("criticality").asInt(3);
        JsonNode window = ci.path("attributes").path("maintenanceWindow");
        known.maintenanceWindow = MaintenanceWindow.fromAttribute(window).isPresent() ? window.toString() : null;
        known.version = version;
        known.updatedAt = event.time();
        known.persist();
        return Set.of(id);
    }

    /** @return the ends of the relationship whose state changed, if it did */
    private Set<UUID> applyRelationship(CloudEvent event, JsonNode relationship) {
        UUID id = uuid(relationship, "relationship", "id");
        long version = required(relationship, "relationship", "version").asLong();
        String type = required(relationship, "relationship", "type").asText();
        UUID source = uuid(relationship, "relationship", "sourceId");
        UUID target = uuid(relationship, "relationship", "targetId");
        CiDependency edge = CiDependency.findById(id);
        if (edge == null) {
            edge = new CiDependency();
            edge.id = id;
        } else if (edge.version >= version) {
            return Set.of();
        }
        boolean sourceBreaksTarget = RelationshipDirections.sourceFailureBreaksTarget(type);
        edge.dependentId = sourceBreaksTarget ? target : source;
        edge.dependencyId = sourceBreaksTarget ? source : target;
        edge.type = type;
        edge.version = version;
        edge.deleted = EventTypes.RELATIONSHIP_DELETED.equals(event.type());
        edge.persist();
        return Set.of(edge.dependentId, edge.dependencyId);
    }

    private static JsonNode required(JsonNode node, String object, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            throw new MalformedEventException("data." + object + "." + field + " is missing");
        }
        return value;
    }

    private static UUID uuid(JsonNode node, String object, String field) {
        String text = required(node, object, field).asText();
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("data." + object + "." + field + " is not a UUID: " + text);
        }
    }
}
