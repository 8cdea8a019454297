package io.itsm.cmdb.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;

import io.itsm.cmdb.domain.ConfigurationItem;
import io.itsm.cmdb.service.CiQuery;
import io.itsm.rest.paging.Cursor;
import io.itsm.rest.paging.Page;
import io.itsm.rest.paging.SortKey;
import io.itsm.rest.paging.SortOrder;

/**
 * Lists CIs: the query's filters as literal comparisons (never query syntax from the client, so operator injection is
 * impossible by construction), any order of the sortable fields, and keyset paging with the number as the last key.
 */
@ApplicationScoped
public class CiListing {

    /** The fields a list may be sorted by, each with how its cursor value reads back. */
    public static final Set<String> SORTABLE = Set.of("number", "name", "criticality", "createdAt", "updatedAt");
    public static final List<SortKey> DEFAULT_ORDER = List.of(new SortKey("createdAt", true));
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");

    @Inject
    CmdbDatabase db;

    public Page<ConfigurationItem> list(CiQuery query, List<SortKey> order, String cursorText, int limit, boolean count) {
        List<SortKey> keys = new ArrayList<>(order);
        if (keys.stream().noneMatch(k -> k.field().equals(CiDocuments.NUMBER))) {
            // numbers are unique and follow creation, so they order CIs created in the same millisecond as they were created
            keys.add(new SortKey(CiDocuments.NUMBER, order.get(order.size() - 1).descending()));
        }
        String orderText = SortOrder.format(order);
        Bson filter = filter(query);
        Bson page = filter;
        if (cursorText != null) {
            Cursor cursor = Cursor.decode(cursorText, orderText, keys.size());
            page = Filters.and(filter, after(keys, cursor.values()));
        }
        List<ConfigurationItem> items = new ArrayList<>();
        db.collection(CmdbDatabase.CIS).find(page).projection(CiRepository.withoutPending()).sort(sort(keys)).limit(limit + 1)
                .forEach(d -> items.add(CiDocuments.fromDocument(d)));
        String next = null;
        if (items.size() > limit) {
            items.remove(limit);
            ConfigurationItem last = items.get(limit - 1);
            next = new Cursor(orderText, keys.stream().map(k -> cursorValue(k.field(), last)).toList()).encode();
        }
        Long total = count ? db.collection(CmdbDatabase.CIS).countDocuments(filter) : null;
        return new Page<>(List.copyOf(items), next, total);
    }

    static Bson filter(CiQuery q) {
        List<Bson> all = new ArrayList<>();
        if (!q.numbers().isEmpty()) {
            all.add(Filters.in(CiDocuments.NUMBER, q.numbers()));
        }
        if (q.classes() != null) {
            all.add(Filters.in(CiDocuments.CI_CLASS, q.classes()));
        }
        if (!q.statuses().isEmpty()) {
            all.add(Filters.in(CiDocuments.STATUS, q.statuses().stream().map(Enum::name).toList()));
        }
        if (!q.environments().isEmpty()) {
            all.add(Filters.in("environment", q.environments().stream().map(Enum::name).toList()));
        }
        if (!q.criticalities().isEmpty()) {
            all.add(Filters.in("criticality", q.criticalities()));
        }
        if (q.owner() != null) {
            all.add(Filters.eq("owner", q.owner()));
        }
        if (q.supportGroup() != null) {
            all.add(Filters.eq("supportGroup", q.supportGroup()));
        }
        for (Map.Entry<String, String> attribute : q.attributes().entrySet()) {
            if (!ATTRIBUTE_NAME.matcher(attribute.getKey()).matches()) {
                throw new IllegalArgumentException("not an attribute name: " + attribute.getKey()); // the resource checked it
            }
            all.add(Filters.in("attributes." + attribute.getKey(), literals(attribute.getValue())));
        }
        if (q.text() != null) {
            Pattern part = Pattern.compile(Pattern.quote(q.text()), Pattern.CASE_INSENSITIVE);
            all.add(Filters.or(Filters.regex("name", part), Filters.regex(CiDocuments.NUMBER, part)));
        }
        all.add(Filters.eq(CiDocuments.DELETED_AT, null));
        return Filters.and(all);
    }

    /** The values an attribute filter's text may stand for: the text itself, and the number or boolean it reads as. */
    static List<Object> literals(String text) {
        List<Object> values = new ArrayList<>();
        values.add(text);
        if (text.equals("true") || text.equals("false")) {
            values.add(Boolean.parseBoolean(text));
        }
        try {
            long whole = Long.parseLong(text);
            values.add(whole);
            values.add((double) whole);
            if (whole == (int) whole) {
                values.add((int) whole);
            }
        } catch (NumberFormatException notWhole) {
            try {
                double d = Double.parseDouble(text);
                if (Double.isFinite(d)) {
                    values.add(d);
                }
            } catch (NumberFormatException notANumber) {
                // text only
            }
        }
        return values;
    }

    private static Bson sort(List<SortKey> keys) {
        return Sorts.orderBy(keys.stream().map(k -> k.descending() ? Sorts.descending(k.field()) : Sorts.ascending(k.field())).toList());
    }

    /** Strictly after the last item of the previous page: (k1 > v1) or (k1 = v1 and k2 > v2) or …, each in its direction. */
    private static Bson after(List<SortKey> keys, List<String> values) {
        List<Bson> alternatives = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            List<Bson> conjunction = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                conjunction.add(Filters.eq(keys.get(j).field(), parse(keys.get(j).field(), values.get(j))));
            }
            Object value = parse(keys.get(i).field(), values.get(i));
            conjunction.add(keys.get(i).descending() ? Filters.lt(keys.get(i).field(), value) : Filters.gt(keys.get(i).field(), value));
            alternatives.add(Filters.and(conjunction));
        }
        return Filters.or(alternatives);
    }

    private static String cursorValue(String field, ConfigurationItem ci) {
        return switch (field) {
            case "number" -> ci.number();
            case "name" -> ci.name();
            case "criticality" -> Integer.toString(ci.criticality());
            case "createdAt" -> ci.createdAt().toString();
            case "updatedAt" -> ci.updatedAt().toString();
            default -> throw new IllegalArgumentException("not sortable: " + field);
        };
    }

    private static Object parse(String field, String value) {
        try {
            return switch (field) {
                case "criticality" -> Integer.parseInt(value);
                case "createdAt", "updatedAt" -> Date.from(Instant.parse(value));
                default -> value;
            };
        } catch (RuntimeException e) {
            throw Cursor.notACursor();
        }
    }
}
