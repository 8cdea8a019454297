package io.itsm.rest.paging;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list: its items, the cursor of the next page ({@code null} on the last page), and the total
 * number of matching items when the client asked for it ({@code count=true}).
 */
public record Page<T>(List<T> items, String nextCursor, Long total) {

    /** The same page with each item mapped, e.g. from an entity to its view. */
    public <R> Page<R> map(Function<? super T, ? extends R> mapper) {
        return new Page<>(items.stream().<R>map(mapper).toList(), nextCursor, total);
    }
}
