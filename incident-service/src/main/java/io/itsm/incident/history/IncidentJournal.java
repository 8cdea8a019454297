package io.itsm.incident.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.itsm.events.Aggregate;
import io.itsm.events.EventTypes;
import io.itsm.events.FieldChange;
import io.itsm.events.postgres.CompanionRow;
import io.itsm.events.postgres.NewAggregateRow;
import io.itsm.events.postgres.TableInsert;
import io.itsm.events.postgres.quarkus.TransactionalOutbox;
import io.itsm.incident.Incident;
import io.itsm.incident.mapping.IncidentMapper;
import io.itsm.incident.mapping.IncidentView;
import io.itsm.incident.service.IncidentEventData;
import io.itsm.rest.security.Actor;
import io.quarkus.panache.common.Sort;

/**
 * Records every change of an incident twice, in the transaction of the change: as an event in the outbox (for
 * the other services) and as a history entry (for {@code /history} and {@code /timeline}). Nothing changes an
 * incident without passing through here.
 */
@ApplicationScoped
public class IncidentJournal {

    private static final TypeReference<List<FieldChange>> CHANGES = new TypeReference<>() {
    };

    /** The history table's columns the journal writes (its {@code id} comes from the table's sequence). */
    private static final TableInsert HISTORY = new TableInsert("incident_history", List.of("incident_id", "at", "actor", "event_type", "changes"));

    @Inject
    TransactionalOutbox outbox;

    @Inject
    ObjectMapper objectMapper;

    /** Publishes {@code eventType} (e.g. {@code itsm.incident.assigned}) with the incident's new state, and keeps it in history. */
    public void record(IncidentView incident, String eventType, List<FieldChange> changes, Actor actor, Instant at) {
        outbox.publish(Aggregate.INCIDENT, incident.id().toString(), action(eventType), new IncidentEventData(incident, changes),
                List.of(historyEntry(incident.id(), eventType, changes, actor, at)));
    }

    /**
     * Writes a new incident: its row and its CI links, the {@code created} event and the first history entry, all in one
     * statement. The database assigns the number (a column default on a sequence); the statement writes it into the
     * event and it is set on {@code incident}, so opening an incident costs that statement (and the commit, if any).
     */
    public void recordOpened(Incident incident, Actor actor, Instant at) {
        NewAggregateRow row = NewIncidentRow.of(incident);
        incident.number = row.placeholder(); // until the statement returns: it puts the number in its place in the event
        IncidentView view = IncidentMapper.toView(incident, at);
        List<CompanionRow> companions = new ArrayList<>(NewIncidentRow.configurationItems(incident));
        companions.add(historyEntry(incident.id, EventTypes.INCIDENT_CREATED, List.of(), actor, at));
        incident.number = outbox.publishCreated(Aggregate.INCIDENT, incident.id.toString(), action(EventTypes.INCIDENT_CREATED),
                new IncidentEventData(view, List.of()), row, companions);
    }

    private CompanionRow historyEntry(UUID incidentId, String eventType, List<FieldChange> changes, Actor actor, Instant at) {
        return HISTORY.row(Arrays.asList(incidentId, at, actor.name(), eventType, json(changes)));
    }

    private String json(List<FieldChange> changes) {
        try {
            return objectMapper.writeValueAsString(changes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("changes are not serialisable", e);
        }
    }

    /** One entry of an incident's history. */
    @Schema(name = "HistoryEntry", description = "One change of the resource: when, who, which event, and each field from -> to")
    public record Change(Instant at, String actor, String eventType, List<FieldChange> changes) {
    }

    public List<Change> history(UUID incidentId) {
        return HistoryEntry.<HistoryEntry>list("incidentId", Sort.ascending("at", "id"), incidentId).stream().map(this::change).toList();
    }

    /** A stored history entry as the API shows it. */
    public Change change(HistoryEntry entry) {
        try {
            return new Change(entry.at, entry.actor, entry.eventType, objectMapper.readValue(entry.changes, CHANGES));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("history entry " + entry.id + " is not readable", e);
        }
    }

    public Note addNote(UUID incidentId, NoteVisibility visibility, String text, Actor author, Instant at) {
        Note note = new Note();
        note.id = UUID.randomUUID();
        note.incidentId = incidentId;
        note.createdAt = at;
        note.author = author.name();
        note.visibility = visibility;
        note.text = text;
        note.persist();
        return note;
    }

    public List<Note> notes(UUID incidentId, NoteVisibility visibility) {
        return visibility == null ? Note.list("incidentId", Sort.ascending("createdAt", "id"), incidentId)
                : Note.list("incidentId = ?1 and visibility = ?2", Sort.ascending("createdAt", "id"), incidentId, visibility);
    }

    /** One entry of the timeline: a note, or a change (transition, field changes, SLA threshold). */
    public record TimelineEntry(Instant at, String kind, String actor, String eventType, List<FieldChange> changes,
                                NoteVisibility visibility, String text) {
    }

    /** A timeline entry and where it sorts: its instant, a change before a note, then its row's id. */
    public record Placed(TimelineEntry entry, int rank, String key) {
    }

    /** Notes and changes of an incident merged in time order (a change before a note at the same instant). */
    public List<Placed> timeline(UUID incidentId) {
        List<Placed> entries = new ArrayList<>();
        HistoryEntry.<HistoryEntry>list("incidentId", Sort.ascending("at", "id"), incidentId).forEach(h -> {
            Change c = change(h);
            entries.add(new Placed(new TimelineEntry(c.at(), "CHANGE", c.actor(), c.eventType(), c.changes(), null, null), 0,
                    String.format("%019d", h.id)));
        });
        notes(incidentId, null).forEach(n -> entries.add(new Placed(new TimelineEntry(n.createdAt, "NOTE", n.author, null, null,
                n.visibility, n.text), 1, n.id.toString())));
        entries.sort(Comparator.comparing((Placed p) -> p.entry().at()).thenComparingInt(Placed::rank).thenComparing(Placed::key));
        return entries;
    }

    private static String action(String eventType) {
        return eventType.substring(Aggregate.INCIDENT.eventType("").length());
    }
}
