package io.itsm.cmdb.domain;

import java.time.Instant;

/** A typed, directed edge between two CIs ("source TYPE target"); deleted ones are kept as tombstones for history. */
public record Relationship(String id, RelationshipType type, String sourceId, String targetId, long version, Instant createdAt,
                           Instant deletedAt, String createdBy, String deletedBy) {

    /** Whether the edge existed at {@code instant}. */
    public boolean activeAt(Instant instant) {
        return !createdAt.isAfter(instant) && (deletedAt == null || deletedAt.isAfter(instant));
    }

    public String inverseType() {
        return type.inverse();
    }

    public boolean isDeleted() {
        return deletedAt != null;
    }

    /** What makes an active edge unique: its ends and its type. */
    public record Ends(String sourceId, RelationshipType type, String targetId) {
    }
}
