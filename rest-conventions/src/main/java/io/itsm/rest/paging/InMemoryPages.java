package io.itsm.rest.paging;

import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * Pages a list that is already in memory, in its one fixed order (a CI's relationships, a history), with the same
 * opaque cursors, {@code limit} and {@code count} as the keyset lists. The cursor holds the last item's sort values,
 * not its position, so a page starts strictly after that item even when items before it came or went in between.
 */
public final class InMemoryPages {

    /**
     * A fixed order of a list.
     *
     * @param name    as a cursor records it (a cursor of another order is refused)
     * @param keys    how many sort values an item has, the last one unique
     * @param values  an item's sort values
     * @param isAfter whether an item comes after the item a cursor's values describe (may throw on values that do not parse)
     */
    public record Order<T>(String name, int keys, Function<T, List<String>> values, BiPredicate<T, List<String>> isAfter) {
    }

    private InMemoryPages() {
    }

    /**
     * At most {@code limit} of the {@code ordered} items, starting after {@code cursor} when given.
     *
     * @throws io.itsm.rest.ProblemException 400 for a cursor of another list or order, or whose values do not parse
     */
    public static <T> Page<T> page(List<T> ordered, Order<T> order, String cursor, int limit, boolean count) {
        int from = 0;
        if (cursor != null && !cursor.isBlank()) {
            List<String> after = Cursor.decode(cursor, order.name(), order.keys()).values();
            try {
                while (from < ordered.size() && !order.isAfter().test(ordered.get(from), after)) {
                    from++;
                }
            } catch (RuntimeException unreadable) {
                throw Cursor.notACursor();
            }
        }
        int to = Math.min(ordered.size(), from + limit);
        List<T> items = List.copyOf(ordered.subList(from, to));
        String next = to < ordered.size() ? new Cursor(order.name(), order.values().apply(items.get(items.size() - 1))).encode() : null;
        return new Page<>(items, next, count ? (long) ordered.size() : null);
    }
}
