package io.itsm.cmdb.domain;

import java.time.Instant;
import java.util.List;

import io.itsm.events.FieldChange;

/** The data of every relationship event: the relationship as it is after the event, and what changed. */
public record RelationshipEventData(View relationship, List<FieldChange> changes) {

    /** The relationship as events and the API show it. */
    public record View(String id, RelationshipType type, String inverseType, String sourceId, String targetId, Instant createdAt,
                       long version) {

        public static View of(Relationship r) {
            return new View(r.id(), r.type(), r.inverseType(), r.sourceId(), r.targetId(), r.createdAt(), r.version());
        }
    }
}
