package io.itsm.cmdb.domain;

import java.time.Instant;

/** A typed, directed edge between two CIs ("source TYPE target"); deleted ones are kept as tombstones for history. */
public record Relationship(String id, RelationshipType type, String sourceId, String targetId, long version, Instant createdAt,
                           Instant deletedAt) {

    public String inverseType() {
        return type.inverse();
    }

    public boolean isDeleted() {
        return deletedAt != null;
    }
}
