package io.itsm.cmdb.domain;

import java.time.Instant;

/**
 * A typed, directed edge between two CIs ("source TYPE target"); deleted ones are kept as tombstones for history, with
 * who made and deleted them and through what ({@code createdSource}, {@code deletedSource}: {@code api}, an import
 * source such as {@code discovery}, or {@code system}).
 */
public record Relationship(String id, RelationshipType type, String sourceId, String targetId, long version, Instant createdAt,
                           Instant deletedAt, String createdBy, String deletedBy, String createdSource, String deletedSource) {

    /** A new edge, version 0. */
    public static Relationship made(String id, RelationshipType type, String sourceId, String targetId, Instant at, String actor,
                                    String source) {
        return new Relationship(id, type, sourceId, targetId, 0, at, null, actor, null, source, null);
    }

    /** This edge deleted, one version on. */
    public Relationship deleted(Instant at, String actor, String source) {
        return new Relationship(id, type, sourceId, targetId, version + 1, createdAt, at, createdBy, actor, createdSource, source);
    }

    /** Whether the edge existed at {@code instant}. */
    public boolean activeAt(Instant instant) {
        return !createdAt.isAfter(instant) && (deletedAt == null || deletedAt.isAfter(instant));
    }

    /** Its ends and type: what makes it unique among the active edges. */
    public Ends ends() {
        return new Ends(sourceId, type, targetId);
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
