package io.itsm.rest.postgres;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

import io.itsm.rest.paging.Cursor;
import io.itsm.rest.paging.Page;
import io.itsm.rest.paging.SortKey;
import io.itsm.rest.paging.SortOrder;

/**
 * A filtered, sorted, keyset-paged JPQL list: the suite's one implementation of {@code sort}, {@code cursor},
 * {@code limit} and {@code count} for PostgreSQL services. The order always ends with a unique tie-breaker, so
 * the next page starts strictly after the last item of this one, whatever was inserted in between.
 */
public final class KeysetQuery<T> {

    private final Class<T> entity;
    private final String alias;
    private final Map<String, SortableField<T>> sortable = new LinkedHashMap<>();
    private final SortableField<T> tieBreaker;
    private final List<String> conditions = new ArrayList<>();
    private final Map<String, Object> parameters = new HashMap<>();

    /**
     * @param tieBreaker a unique, non-null field (the id) that ends every order; it is not offered as a sort field
     */
    public KeysetQuery(Class<T> entity, String alias, List<SortableField<T>> fields, SortableField<T> tieBreaker) {
        this.entity = entity;
        this.alias = alias;
        fields.forEach(field -> sortable.put(field.name(), field));
        this.tieBreaker = tieBreaker;
    }

    public Set<String> sortableFields() {
        return sortable.keySet();
    }

    /** Adds a JPQL condition (on the alias) that every item must meet, with its named parameter. */
    public KeysetQuery<T> where(String condition, String parameter, Object value) {
        conditions.add(condition);
        parameters.put(parameter, value);
        return this;
    }

    /**
     * Adds a text search: items where any of the JPQL {@code paths} contains {@code text}, ignoring case, with
     * {@code %}, {@code _} and the escape character taken literally. Blank or null text adds nothing.
     */
    public KeysetQuery<T> whereContains(String text, String... paths) {
        if (text == null || text.isBlank()) {
            return this;
        }
        List<String> terms = new ArrayList<>();
        for (String path : paths) {
            terms.add("lower(" + path + ") like :q escape '!'");
        }
        String literal = text.strip().toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_");
        return where("(" + String.join(" or ", terms) + ")", "q", "%" + literal + "%");
    }

    /** Adds a JPQL condition without parameters. */
    public KeysetQuery<T> where(String condition) {
        conditions.add(condition);
        return this;
    }

    /**
     * Runs the query: at most {@code limit} items in {@code order}, starting after {@code cursor} when given.
     *
     * @throws io.itsm.rest.ProblemException 400 for a cursor of another order or of another API
     */
    public Page<T> fetch(EntityManager entityManager, List<SortKey> order, String cursor, int limit, boolean count) {
        List<SortKey> keys = new ArrayList<>(order);
        keys.add(new SortKey(tieBreaker.name(), false));
        String orderText = SortOrder.format(order);
        List<String> where = new ArrayList<>(conditions);
        Map<String, Object> values = new HashMap<>(parameters);
        if (cursor != null && !cursor.isBlank()) {
            Cursor after = Cursor.decode(cursor, orderText, keys.size());
            where.add(after(keys, after.values(), values));
        }
        String whereClause = where.isEmpty() ? "" : " where " + String.join(" and ", where);
        StringBuilder jpql = new StringBuilder("select ").append(alias).append(" from ").append(entity.getSimpleName())
                .append(' ').append(alias).append(whereClause).append(" order by ");
        for (int i = 0; i < keys.size(); i++) {
            jpql.append(i == 0 ? "" : ", ").append(field(keys.get(i)).path()).append(keys.get(i).descending() ? " desc" : " asc");
        }
        TypedQuery<T> query = entityManager.createQuery(jpql.toString(), entity).setMaxResults(limit + 1);
        values.forEach(query::setParameter);
        List<T> rows = query.getResultList();
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            T last = rows.get(limit - 1);
            next = new Cursor(orderText, keys.stream().map(key -> String.valueOf(field(key).value().apply(last))).toList()).encode();
        }
        Long total = null;
        if (count) {
            TypedQuery<Long> counting = entityManager.createQuery("select count(" + alias + ") from " + entity.getSimpleName()
                    + ' ' + alias + (conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions)), Long.class);
            parameters.forEach(counting::setParameter);
            total = counting.getSingleResult();
        }
        return new Page<>(List.copyOf(rows), next, total);
    }

    /** (k1 > v1) or (k1 = v1 and k2 > v2) or …, with < for descending keys. */
    private String after(List<SortKey> keys, List<String> cursorValues, Map<String, Object> values) {
        List<String> alternatives = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            List<String> terms = new ArrayList<>();
            for (int j = 0; j <= i; j++) {
                SortableField<T> field = field(keys.get(j));
                String parameter = "cursor" + j;
                values.put(parameter, parse(field, cursorValues.get(j)));
                String operator = j < i ? " = " : keys.get(j).descending() ? " < " : " > ";
                terms.add(field.path() + operator + ":" + parameter);
            }
            alternatives.add("(" + String.join(" and ", terms) + ")");
        }
        return "(" + String.join(" or ", alternatives) + ")";
    }

    private Object parse(SortableField<T> field, String text) {
        try {
            return field.parse().apply(text);
        } catch (RuntimeException e) {
            throw Cursor.notACursor();
        }
    }

    private SortableField<T> field(SortKey key) {
        return key.field().equals(tieBreaker.name()) ? tieBreaker : sortable.get(key.field());
    }
}
