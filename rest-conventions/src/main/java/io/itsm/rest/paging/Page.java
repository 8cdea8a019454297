package io.itsm.rest.paging;

import java.util.List;

/**
 * One page of a list: its items, the cursor of the next page ({@code null} on the last page), and the total
 * number of matching items when the client asked for it ({@code count=true}).
 */
public record Page<T>(List<T> items, String nextCursor, Long total) {
}
