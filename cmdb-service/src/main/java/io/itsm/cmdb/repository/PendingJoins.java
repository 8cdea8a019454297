package io.itsm.cmdb.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.bson.Document;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import io.itsm.cmdb.domain.Relationship;

/**
 * Relationships being made: a note naming the new edges is written before they are inserted and removed once they are
 * joined to their ends (or withdrawn). A note that stays names edges whose maker stopped in between (a crash, a kill):
 * {@code io.itsm.cmdb.service.JoinRecovery} finishes their join or withdraws them. The collection holds only the notes of
 * the writes in flight, so reading it whole is cheap on either store.
 */
@ApplicationScoped
public class PendingJoins {

    static final String COLLECTION = "relationship_pending_join";
    private static final String AT = "at";
    private static final String EDGES = "edges";
    private static final String CIS = "cis";

    /** A note: the edges it names, and when it was written (or last taken over). */
    public record Note(String id, Instant at, List<String> edgeIds) {
    }

    @Inject
    CmdbDatabase db;

    /** Writes the note of these edges, about to be inserted; returns its id, for {@link #done}. */
    public String begin(Collection<Relationship> edges) {
        String id = UUID.randomUUID().toString();
        Set<String> ends = new LinkedHashSet<>();
        edges.forEach(e -> {
            ends.add(e.sourceId());
            ends.add(e.targetId());
        });
        notes().insertOne(new Document("_id", id).append(AT, Date.from(Instant.now()))
                .append(EDGES, edges.stream().map(Relationship::id).toList()).append(CIS, new ArrayList<>(ends)));
        return id;
    }

    /**
     * Whether an edge of this CI is being made, or was left unjoined by a maker that stopped: such an edge is stored
     * but not yet counted on the CI. A search of the notes alone, which are few.
     */
    public boolean mentions(String ciId) {
        return notes().find(Filters.eq(CIS, ciId)).projection(new Document("_id", 1)).first() != null;
    }

    /** The edges of these notes are joined or withdrawn. */
    public void done(Collection<String> noteIds) {
        if (!noteIds.isEmpty()) {
            notes().deleteMany(Filters.in("_id", noteIds));
        }
    }

    /** Notes written before {@code before}, oldest first, at most {@code limit}. */
    public List<Note> olderThan(Instant before, int limit) {
        List<Note> stale = new ArrayList<>();
        notes().find(Filters.lt(AT, Date.from(before))).sort(new Document(AT, 1)).limit(limit).forEach(d -> stale.add(
                new Note(d.getString("_id"), d.getDate(AT).toInstant(), d.getList(EDGES, String.class, List.of()))));
        return stale;
    }

    /**
     * Takes a stale note over: moves its time to now, if nobody did since it was read (another replica recovering it, or
     * its maker finishing it). Whoever takes it over finishes it; if that one stops too, the note is stale again later.
     */
    public boolean takeOver(Note note) {
        // a later time than the note's even within its millisecond, so that the update changes it and counts as taken
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Instant later = now.isAfter(note.at()) ? now : note.at().plusMillis(1);
        return notes().updateOne(new Document("_id", note.id()).append(AT, Date.from(note.at())), Updates.set(AT, Date.from(later)))
                .getModifiedCount() == 1;
    }

    private MongoCollection<Document> notes() {
        return db.collection(COLLECTION);
    }
}
