package io.itsm.cmdb.repository;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Splits what one query or bulk write would send into parts of at most 1,000: the bound every repository here uses. */
final class Batches {

    static final int SIZE = 1000;

    private Batches() {
    }

    static <T> List<List<T>> of(Collection<T> items) {
        List<T> all = List.copyOf(items);
        List<List<T>> parts = new ArrayList<>();
        for (int from = 0; from < all.size(); from += SIZE) {
            parts.add(all.subList(from, Math.min(all.size(), from + SIZE)));
        }
        return parts;
    }
}
