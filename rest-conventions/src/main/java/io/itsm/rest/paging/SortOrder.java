package io.itsm.rest.paging;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.itsm.rest.ProblemException;

/**
 * The {@code sort} query parameter of every list: {@code sort=priority,-openedAt} orders by priority
 * ascending, then by opening time descending. Only fields the resource declares sortable are accepted.
 */
public final class SortOrder {

    private SortOrder() {
    }

    /**
     * Parses {@code sort} against the sortable fields; an empty or absent parameter gives {@code defaults}.
     *
     * @throws ProblemException 400 naming the unknown or repeated field and the sortable ones
     */
    public static List<SortKey> parse(String sort, Set<String> sortable, List<SortKey> defaults) {
        if (sort == null || sort.isBlank()) {
            return defaults;
        }
        List<SortKey> keys = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String part : sort.split(",", -1)) {
            String token = part.strip();
            boolean descending = token.startsWith("-");
            String field = descending || token.startsWith("+") ? token.substring(1) : token;
            if (!sortable.contains(field)) {
                throw ProblemException.invalid("sort", "cannot sort by '" + token + "'; sortable fields are "
                        + sortable.stream().sorted().collect(Collectors.joining(", ")) + " (prefix '-' for descending)");
            }
            if (!seen.add(field)) {
                throw ProblemException.invalid("sort", "names '" + field + "' more than once");
            }
            keys.add(new SortKey(field, descending));
        }
        return List.copyOf(keys);
    }

    /** The canonical text of an order, as a cursor records it. */
    public static String format(List<SortKey> keys) {
        return keys.stream().map(SortKey::toString).collect(Collectors.joining(","));
    }
}
