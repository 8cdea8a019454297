package io.itsm.events;

import java.util.Set;

/**
 * Which way a failure spreads along each relationship type of the CMDB (part of the event contract, so that every
 * consumer of {@code itsm.relationship.*} reads the graph the same way): for "app RUNS_ON server" (and DEPENDS_ON,
 * HOSTED_ON, CONNECTS_TO) the source depends on the target, so the target's failure breaks the source; for "rack
 * CONTAINS server" and "node MEMBER_OF cluster" the target depends on the source.
 */
public final class RelationshipDirections {

    private static final Set<String> TARGET_DEPENDS_ON_SOURCE = Set.of("CONTAINS", "MEMBER_OF");

    private RelationshipDirections() {
    }

    /** Whether a failure of the source breaks the target (else a failure of the target breaks the source). */
    public static boolean sourceFailureBreaksTarget(String type) {
        return TARGET_DEPENDS_ON_SOURCE.contains(type);
    }
}
