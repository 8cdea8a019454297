package io.itsm.incident.ci;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.itsm.events.CloudEvent;
import io.itsm.events.EventTypes;
import io.itsm.events.MalformedEventException;
import io.itsm.rest.Problem;
import io.itsm.rest.ProblemException;

/**
 * Applies CMDB events to the local CI read model and answers whether CIs may be linked to an incident.
 * Events carry the CI's full state and version, so applying them is order-insensitive: a newer version
 * replaces an older one, a late older one changes nothing.
 */
@ApplicationScoped
public class CiReadModel {

    @Inject
    ObjectMapper objectMapper;

    /** Applies one CMDB event; runs inside the inbox transaction. */
    public void apply(CloudEvent event) {
        applyAll(List.of(event));
    }

    /**
     * Applies a poll's CMDB events in delivery order, inside its inbox transaction: the CIs they name are read with one
     * query, not one per event (an import's burst of new CIs would otherwise cost a round trip each to find nothing).
     */
    public void applyAll(List<CloudEvent> events) {
        List<CiState> states = new ArrayList<>(events.size());
        for (CloudEvent event : events) {
            if (event.type().startsWith("itsm.ci.")) { // relationship and reconcile events do not concern incidents
                states.add(CiState.of(event, objectMapper));
            }
        }
        if (states.isEmpty()) {
            return;
        }
        Map<UUID, ConfigurationItem> known = new HashMap<>();
        List<UUID> ids = states.stream().map(CiState::id).distinct().toList();
        ConfigurationItem.<ConfigurationItem>list("id in ?1", ids).forEach(item -> known.put(item.id, item));
        for (CiState state : states) {
            apply(state, known);
        }
    }

    private static void apply(CiState state, Map<UUID, ConfigurationItem> known) {
        ConfigurationItem item = known.get(state.id());
        if (EventTypes.CI_DELETED.equals(state.event().type())) {
            if (item != null && item.version <= state.version()) {
                item.delete();
                known.remove(state.id());
            }
            return;
        }
        if (item == null) {
            item = new ConfigurationItem();
            item.id = state.id();
        } else if (item.version >= state.version()) {
            return;
        }
        JsonNode ci = state.ci();
        item.number = required(ci, "number").asText();
        item.name = required(ci, "name").asText();
        item.ciClass = required(ci, "ciClass").asText();
        item.status = required(ci, "status").asText();
        item.version = state.version();
        item.updatedAt = state.event().time();
        item.persist();
        known.put(item.id, item);
    }

    /** An event's CI as the event tells it: its id and version read (and checked) up front. */
    private record CiState(CloudEvent event, JsonNode ci, UUID id, long version) {

        static CiState of(CloudEvent event, ObjectMapper objectMapper) {
            JsonNode ci;
            try {
                ci = objectMapper.readTree(event.data()).path("ci");
            } catch (java.io.IOException e) {
                throw new MalformedEventException("data is not JSON: " + e.getMessage(), e);
            }
            return new CiState(event, ci, uuid(ci, "id"), required(ci, "version").asLong());
        }
    }

    /**
     * Checks that every CI exists and is not retired.
     *
     * @throws ProblemException 422 naming each offending CI
     */
    public void requireLinkable(Collection<UUID> ciIds) {
        requireLinkable(ciIds, java.util.Set.of());
    }

    /**
     * Checks the CIs that are not linked yet; CIs already linked stay linkable even when retired since, so an
     * incident can still be edited. Error fields name the positions in {@code ciIds}.
     *
     * @throws ProblemException 422 naming each offending CI
     */
    public void requireLinkable(Collection<UUID> ciIds, java.util.Set<UUID> alreadyLinked) {
        List<Problem.FieldError> errors = new ArrayList<>();
        int i = -1;
        for (UUID id : ciIds) {
            i++;
            if (alreadyLinked.contains(id)) {
                continue;
            }
            ConfigurationItem item = ConfigurationItem.findById(id);
            if (item == null) {
                errors.add(new Problem.FieldError("configurationItemIds[" + i + "]", "CI " + id + " does not exist in the CMDB"));
            } else if (item.isRetired()) {
                errors.add(new Problem.FieldError("configurationItemIds[" + i + "]", "CI " + item.number + " is retired"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(422, "unprocessable", "Unprocessable request",
                    errors.stream().map(Problem.FieldError::message).reduce((a, b) -> a + "; " + b).orElseThrow(), errors);
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            throw new MalformedEventException("data.ci." + field + " is missing");
        }
        return value;
    }

    private static UUID uuid(JsonNode node, String field) {
        try {
            return UUID.fromString(required(node, field).asText());
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("data.ci." + field + " is not a UUID");
        }
    }
}
