package io.itsm.cmdb.domain;

import java.util.Optional;

/**
 * The kinds of relationship, each read from source to target (its name) and from target to source (its inverse
 * name), and which way a failure spreads along it: for "app RUNS_ON server" a failing server breaks the app, so
 * impact flows from target to source; for "rack CONTAINS server" a failing rack breaks the server, and for "node
 * MEMBER_OF cluster" a failing node degrades the cluster: from source to target.
 */
public enum RelationshipType {
    DEPENDS_ON("USED_BY", false),
    RUNS_ON("RUNS", false),
    HOSTED_ON("HOSTS", false),
    CONTAINS("CONTAINED_BY", true),
    CONNECTS_TO("CONNECTED_BY", false),
    MEMBER_OF("HAS_MEMBER", true);

    private final String inverse;
    private final boolean sourceFailureBreaksTarget;

    RelationshipType(String inverse, boolean sourceFailureBreaksTarget) {
        this.inverse = inverse;
        this.sourceFailureBreaksTarget = sourceFailureBreaksTarget;
    }

    public String inverse() {
        return inverse;
    }

    /** Whether a failure of the source breaks the target (else a failure of the target breaks the source). */
    public boolean sourceFailureBreaksTarget() {
        return sourceFailureBreaksTarget;
    }

    /** A type by its name, or by its inverse name with {@code inverted} true (the ends are then to be swapped). */
    public record Named(RelationshipType type, boolean inverted) {
    }

    public static Optional<Named> byName(String name) {
        for (RelationshipType type : values()) {
            if (type.name().equals(name)) {
                return Optional.of(new Named(type, false));
            }
            if (type.inverse.equals(name)) {
                return Optional.of(new Named(type, true));
            }
        }
        return Optional.empty();
    }
}
