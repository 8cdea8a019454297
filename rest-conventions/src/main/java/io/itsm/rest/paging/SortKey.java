package io.itsm.rest.paging;

/** One key of a list's order: a sortable field and its direction. */
public record SortKey(String field, boolean descending) {

    @Override
    public String toString() {
        return (descending ? "-" : "") + field;
    }
}
