package io.itsm.change.cmdb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
     * with one walk of the graph instead of one per event). The CIs and relationships the events name are read with one
     * query each, not one per event (an import's burst of new ones would otherwise cost a round trip each to find nothing).
     */
    public void applyAll(List<CloudEvent> events) {
        List<JsonNode> data = new ArrayList<>(events.size());
        Set<UUID> ciIds = new HashSet<>();
        Set<UUID> edgeIds = new HashSet<>();
        for (CloudEvent event : events) {
            JsonNode d = parse(event);
            data.add(d);
            if (event.type().startsWith("itsm.ci.")) {
                ciIds.add(uuid(d.path("ci"), "ci", "id"));
            } else if (event.type().startsWith("itsm.relationship.")) {
                edgeIds.add(uuid(d.path("relationship"), "relationship", "id"));
            }
        }
        Map<UUID, KnownCi> cis = new HashMap<>();
        if (!ciIds.isEmpty()) {
            KnownCi.<KnownCi>list("id in ?1", ciIds).forEach(ci -> cis.put(ci.id, ci));
        }
        Map<UUID, CiDependency> edges = new HashMap<>();
        if (!edgeIds.isEmpty()) {
            CiDependency.<CiDependency>list("id in ?1", edgeIds).forEach(edge -> edges.put(edge.id, edge));
        }
        Set<UUID> touched = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            CloudEvent event = events.get(i);
            if (event.type().startsWith("itsm.ci.")) {
                touched.addAll(applyCi(event, data.get(i).path("ci"), cis));
            } else if (event.type().startsWith("itsm.relationship.")) {
                touched.addAll(applyRelationship(event, data.get(i).path("relationship"), edges));
            }
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

    private JsonNode parse(CloudEvent event) {
        try {
            return objectMapper.readTree(event.data());
        } catch (java.io.IOException e) {
            throw new MalformedEventException("data is not JSON: " + e.getMessage(), e);
        }
    }

    /** @return the CI whose state changed, if it did; {@code cis} holds the CIs the batch named that are in the read model */
    private Set<UUID> applyCi(CloudEvent event, JsonNode ci, Map<UUID, KnownCi> cis) {
        UUID id = uuid(ci, "ci", "id");
        long version = required(ci, "ci", "version").asLong();
        KnownCi known = cis.get(id);
        if (EventTypes.CI_DELETED.equals(event.type())) {
            if (known != null && known.version <= version) {
                known.delete();
                cis.remove(id);
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
        cis.put(id, known);
        return Set.of(id);
    }

    /** @return the ends of the relationship whose state changed, if it did; {@code edges} as {@code cis} above */
    private Set<UUID> applyRelationship(CloudEvent event, JsonNode relationship, Map<UUID, CiDependency> edges) {
        UUID id = uuid(relationship, "relationship", "id");
        long version = required(relationship, "relationship", "version").asLong();
        String type = required(relationship, "relationship", "type").asText();
        UUID source = uuid(relationship, "relationship", "sourceId");
        UUID target = uuid(relationship, "relationship", "targetId");
        CiDependency edge = edges.get(id);
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
        edges.put(id, edge);
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
