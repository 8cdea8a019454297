package io.itsm.cmdb.domain;

import java.time.Instant;
import java.util.List;

import io.itsm.events.FieldChange;

/** The data of every relationship event: the relationship as it is after the event, who changed it through what, and what changed. */
public record RelationshipEventData(View relationship, String actor, String source, List<FieldChange> changes) {

    /** The creation of {@code r}. */
    public static RelationshipEventData created(Relationship r) {
        return new RelationshipEventData(View.of(r), r.createdBy(), r.createdSource(), List.of());
    }

    /** The deletion that made {@code r} (deleted). */
    public static RelationshipEventData deleted(Relationship r) {
        return new RelationshipEventData(View.of(r), r.deletedBy(), r.deletedSource(), List.of(new FieldChange("deleted", false, true)));
    }

    /** The relationship as events and the API show it. */
    public record View(String id, RelationshipType type, String inverseType, String sourceId, String targetId, Instant createdAt,
                       long version) {

        public static View of(Relationship r) {
            return new View(r.id(), r.type(), r.inverseType(), r.sourceId(), r.targetId(), r.createdAt(), r.version());
        }
    }
}
