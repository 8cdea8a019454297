package io.itsm.change.history;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.itsm.change.mapping.ChangeView;
import io.itsm.events.Aggregate;
import io.itsm.events.FieldChange;
import io.itsm.events.postgres.TableInsert;
import io.itsm.events.postgres.quarkus.TransactionalOutbox;
import io.itsm.rest.paging.Page;
import io.itsm.rest.paging.SortKey;
import io.itsm.rest.postgres.KeysetQuery;
import io.itsm.rest.postgres.SortableField;
import io.itsm.rest.security.Actor;

/**
 * Records every change of a change request twice, in the transaction of the change: as an event in the outbox
 * (for the other services) and as a history entry (for {@code /history}). Nothing changes a change request
 * without passing through here.
 */
@ApplicationScoped
public class ChangeJournal {

    private static final TypeReference<List<FieldChange>> CHANGES = new TypeReference<>() {
    };

    /** The history table's columns the journal writes (its {@code id} comes from the table's sequence). */
    private static final TableInsert HISTORY = new TableInsert("change_history", List.of("change_id", "at", "actor", "event_type", "changes"));

    private static final SortableField<ChangeHistoryEntry> TIME = new SortableField<>("at", "h.at", h -> h.at, Instant::parse);
    private static final SortableField<ChangeHistoryEntry> BY_ID = new SortableField<>("id", "h.id", h -> h.id, Long::valueOf);
    private static final List<SortKey> OLDEST_FIRST = List.of(new SortKey("at", false));

    @Inject
    TransactionalOutbox outbox;

    @Inject
    ObjectMapper objectMapper;

    @Inject
    EntityManager entityManager;

    /** The data of every change event: the change request's full new state and what changed. */
    public record ChangeEventData(ChangeView change, List<FieldChange> changes) {
    }

    /** Publishes {@code eventType} (e.g. {@code itsm.change.scheduled}) with the change's new state, and keeps it in history. */
    public void record(ChangeView change, String eventType, List<FieldChange> changes, Actor actor, Instant at) {
        outbox.publish(Aggregate.CHANGE, change.id().toString(), eventType.substring(Aggregate.CHANGE.eventType("").length()),
                new ChangeEventData(change, changes),
                List.of(HISTORY.row(Arrays.asList(change.id(), at, actor.name(), eventType, json(changes)))));
    }

    private String json(List<FieldChange> changes) {
        try {
            return objectMapper.writeValueAsString(changes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("changes are not serialisable", e);
        }
    }

    /** The data of {@code itsm.change.incident-correlated}: the best candidate change, the incident, every candidate. */
    public record IncidentCorrelatedData(ChangeView change, List<FieldChange> changes, UUID incidentId, List<?> candidates) {
    }

    /**
     * Publishes that an incident was correlated with changes, keyed by the best candidate. It changes no change
     * request, so it keeps no history entry and the change's version stays as it is.
     */
    public void publishCorrelation(ChangeView best, UUID incidentId, List<?> candidates) {
        outbox.publish(Aggregate.CHANGE, best.id().toString(), "incident-correlated",
                new IncidentCorrelatedData(best, List.of(), incidentId, candidates));
    }

    /** One entry of a change request's history. */
    @Schema(name = "HistoryEntry", description = "One change of the resource: when, who, which event, and each field from -> to")
    public record Change(Instant at, String actor, String eventType, List<FieldChange> changes) {
    }

    /** A page of the change request's history, oldest first. @throws io.itsm.rest.ProblemException 400 a bad cursor */
    public Page<Change> history(UUID changeId, String cursor, int limit, boolean count) {
        KeysetQuery<ChangeHistoryEntry> keyset = new KeysetQuery<>(ChangeHistoryEntry.class, "h", List.of(TIME), BY_ID)
                .where("h.changeId = :change", "change", changeId);
        return keyset.fetch(entityManager, OLDEST_FIRST, cursor, limit, count).map(this::change);
    }

    private Change change(ChangeHistoryEntry entry) {
        try {
            return new Change(entry.at, entry.actor, entry.eventType, objectMapper.readValue(entry.changes, CHANGES));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("history entry " + entry.id + " is not readable", e);
        }
    }
}
