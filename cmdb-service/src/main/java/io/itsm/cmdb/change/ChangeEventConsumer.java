package io.itsm.cmdb.change;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.itsm.cmdb.domain.ConfigurationItem;
import io.itsm.cmdb.domain.UnderChange;
import io.itsm.cmdb.service.CiService;
import io.itsm.events.CloudEvent;
import io.itsm.events.MalformedEventException;
import io.itsm.events.inbox.IdempotentConsumer;
import io.itsm.events.inbox.KafkaInbox;
import io.smallrye.common.annotation.Blocking;

/**
 * Consumes {@code itsm.change.events} once per event and keeps the under-change marker: while a change is in IMPLEMENT,
 * the CIs in its scope carry {@code underChange} with its number; REVIEW, CLOSED and CANCELED clear the marker the change
 * set (not one another change set meanwhile). Each CI is one compare-and-swap write with its {@code itsm.ci.updated}
 * event; the effects are idempotent, so a redelivery after a crash changes nothing. A malformed event goes to
 * {@code itsm.change.events.dlq} with the reason.
 */
@ApplicationScoped
public class ChangeEventConsumer {

    /** Who and through what the history names for these changes. */
    static final String CHANGE_SERVICE = "change-service";
    private static final Set<String> ENDED = Set.of("REVIEW", "CLOSED", "CANCELED");

    @Inject
    IdempotentConsumer inbox;

    @Inject
    CiService cis;

    @Inject
    ObjectMapper objectMapper;

    @Incoming("change-events")
    @Blocking
    public CompletionStage<Void> consume(Message<byte[]> record) {
        return KafkaInbox.consume(inbox, record, this::apply);
    }

    void apply(CloudEvent event) {
        JsonNode change;
        try {
            change = objectMapper.readTree(event.data()).path("change");
        } catch (java.io.IOException e) {
            throw new MalformedEventException("data is not JSON: " + e.getMessage(), e);
        }
        if (!change.isObject()) {
            return; // not a change's state (no change event carries none, but a future one might): nothing to mark
        }
        String state = required(change, "state");
        String changeId = required(change, "id");
        String number = required(change, "number");
        List<String> scope = new ArrayList<>();
        change.path("configurationItemIds").forEach(id -> scope.add(id.asText()));
        if ("IMPLEMENT".equals(state)) {
            UnderChange marker = new UnderChange(changeId, number, since(change));
            scope.forEach(ci -> cis.changeAsSystem(ci, current -> mark(current, marker), CHANGE_SERVICE, CHANGE_SERVICE));
        } else if (ENDED.contains(state)) {
            scope.forEach(ci -> cis.changeAsSystem(ci, current -> unmark(current, changeId), CHANGE_SERVICE, CHANGE_SERVICE));
        }
    }

    private static ConfigurationItem mark(ConfigurationItem ci, UnderChange marker) {
        if (ci.isRetired() || ci.underChange() != null && ci.underChange().changeId().equals(marker.changeId())) {
            return ci;
        }
        return ci.withUnderChange(marker);
    }

    private static ConfigurationItem unmark(ConfigurationItem ci, String changeId) {
        return ci.underChange() != null && ci.underChange().changeId().equals(changeId) ? ci.withUnderChange(null) : ci;
    }

    private static String required(JsonNode change, String field) {
        if (!change.path(field).isTextual() || change.path(field).asText().isBlank()) {
            throw new MalformedEventException("data.change." + field + " is missing");
        }
        return change.path(field).asText();
    }

    /** When the change entered IMPLEMENT: its actual start, else the time of its state (updatedAt). */
    private static Instant since(JsonNode change) {
        String text = change.path("actualStart").isTextual() ? change.path("actualStart").asText() : change.path("updatedAt").asText(null);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new MalformedEventException("data.change.actualStart/updatedAt is not an instant: " + text);
        }
    }
}
