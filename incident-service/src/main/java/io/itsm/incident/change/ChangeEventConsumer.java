package io.itsm.incident.change;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.itsm.events.CloudEvent;
import io.itsm.events.EventTypes;
import io.itsm.events.MalformedEventException;
import io.itsm.events.inbox.IdempotentConsumer;
import io.itsm.events.inbox.KafkaInbox;
import io.itsm.incident.service.IncidentService;
import io.itsm.rest.security.Actor;
import io.smallrye.common.annotation.Blocking;

/**
 * Consumes {@code itsm.change.events}, once per event: an {@code incident-correlated} event puts its candidate
 * changes on the incident as {@code probableCauseChanges}; other change events do not concern incidents. An event
 * that cannot be applied goes to {@code itsm.change.events.dlq} with the reason.
 */
@ApplicationScoped
public class ChangeEventConsumer {

    /** Who history names for what change-service's events do to an incident. */
    static final Actor CHANGE_SERVICE = new Actor("change-service", Set.of());

    @Inject
    IdempotentConsumer inbox;

    @Inject
    IncidentService incidents;

    @Inject
    ObjectMapper objectMapper;

    @Incoming("change-events")
    @Blocking
    public CompletionStage<Void> consume(Message<List<byte[]>> batch) {
        return KafkaInbox.consume(inbox, batch, this::apply);
    }

    void apply(CloudEvent event) {
        if (!EventTypes.CHANGE_INCIDENT_CORRELATED.equals(event.type())) {
            return;
        }
        JsonNode data;
        try {
            data = objectMapper.readTree(event.data());
        } catch (java.io.IOException e) {
            throw new MalformedEventException("data is not JSON: " + e.getMessage(), e);
        }
        UUID incidentId;
        try {
            incidentId = UUID.fromString(data.path("incidentId").asText());
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("data.incidentId is not a UUID");
        }
        if (!data.path("candidates").isArray()) {
            throw new MalformedEventException("data.candidates is missing");
        }
        incidents.recordProbableCauses(incidentId, data.path("candidates"), CHANGE_SERVICE);
    }
}
