package io.itsm.rest.postgres;

import java.util.function.Function;

/**
 * A field a list may be sorted by: its API name, its JPQL path, how to read it from an entity, and how to read
 * it back from a cursor. Sortable fields must be non-null columns, so that keyset comparisons are total.
 */
public record SortableField<T>(String name, String path, Function<T, Object> value, Function<String, Object> parse) {
}
