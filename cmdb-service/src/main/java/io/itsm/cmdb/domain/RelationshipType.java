package io.itsm.cmdb.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.itsm.events.RelationshipDirections;
import io.itsm.rest.ProblemException;
import io.itsm.rest.QueryParams;

/**
 * The kinds of relationship, each read from source to target (its name) and from target to source (its inverse
 * name), and which way a failure spreads along it: for "app RUNS_ON server" a failing server breaks the app, so
 * impact flows from target to source; for "rack CONTAINS server" a failing rack breaks the server, and for "node
 * MEMBER_OF cluster" a failing node degrades the cluster: from source to target ({@link RelationshipDirections},
 * part of the event contract).
 */
public enum RelationshipType {
    DEPENDS_ON("USED_BY"),
    RUNS_ON("RUNS"),
    HOSTED_ON("HOSTS"),
    CONTAINS("CONTAINED_BY"),
    CONNECTS_TO("CONNECTED_BY"),
    MEMBER_OF("HAS_MEMBER");

    private final String inverse;

    RelationshipType(String inverse) {
        this.inverse = inverse;
    }

    public String inverse() {
        return inverse;
    }

    /** Whether a failure of the source breaks the target (else a failure of the target breaks the source). */
    public boolean sourceFailureBreaksTarget() {
        return RelationshipDirections.sourceFailureBreaksTarget(name());
    }

    /** A type by its name, or by its inverse name with {@code inverted} true (the ends are then to be swapped). */
    public record Named(RelationshipType type, boolean inverted) {

        /** Whether {@code r} reads so from {@code ciId}: "ci DEPENDS_ON x" as the source, "ci USED_BY x" as the target. */
        public boolean describes(Relationship r, String ciId) {
            return r.type() == type && (inverted ? r.targetId() : r.sourceId()).equals(ciId);
        }
    }

    /**
     * Type names of a query parameter, repeated or comma-separated, each a name or an inverse name.
     *
     * @throws ProblemException 400 naming {@code field} and the names there are
     */
    public static List<Named> parseAll(String field, List<String> values) {
        List<Named> named = new ArrayList<>();
        for (String name : QueryParams.each(values)) {
            named.add(byName(name).orElseThrow(() -> ProblemException.invalid(field, "'" + name + "' is not a relationship type: "
                    + "one of " + Arrays.stream(values()).flatMap(t -> Stream.of(t.name(), t.inverse)).collect(Collectors.joining(", ")))));
        }
        return named;
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
