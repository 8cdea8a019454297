package io.itsm.localstack;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import org.h2.mvstore.MVMap;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;

/**
 * mongo-java-server's H2 collection, with {@code {field: {$in: [strings]}}} matched by a hash set, and a query that pins
 * {@code _id} beside other conditions answered through the {@code _id} index.
 *
 * <p>Its query matcher tests {@code $in} by comparing the document's value with each listed value in turn, and runs for
 * every document a query finds, also those an index found by the same list: a lookup of 1,000 CIs by {@code _id}
 * made about 500,000 comparisons (in a profile of a relationship import, 11 % of the store's CPU). When the query is
 * that one condition, every listed value a string and the document's value a string, membership in a set of the listed
 * values is the same answer (strings match by equality); anything else goes to the matcher as before.
 *
 * <p>It uses an index only for a query on exactly that index's fields, so {@code {_id: x, version: 3, links: 0}} or
 * {@code {$and: [{_id: x}, ...]}} (which the Java driver's {@code Filters.and} renders) tested every document of the
 * collection: a compare-and-swap that also checks a count read every CI. Any document such a query matches has that
 * {@code _id}, so the one document the {@code _id} index finds, tested against the whole query, is the same answer.
 *
 * <p>A sorted query with a limit sorted every matching document before it took the first ones: a page of 50 CIs, newest
 * first, sorted all 60,000 (1.8 of its 2.1 s). The first {@code skip + limit} are now kept in a bounded heap as the
 * documents pass, in the same order (ties by the order they came in, as the stable sort has them).
 */
final class MongoWireCollection extends H2Collection {

    private static final String ID = "_id";
    /** The most documents a sorted query keeps aside (skip + limit); beyond it, the whole sort as before. */
    private static final int MAX_KEPT = 100_000;

    /** How many documents the query matcher tested: what tells a query answered by an index from a scan. */
    private final LongAdder tested = new LongAdder();

    /** The last {@code $in} list seen and its set: a query's list is the same object for every document it tests. */
    private volatile StringsIn last;

    private record StringsIn(Collection<?> values, Set<String> set) {
    }

    MongoWireCollection(MongoDatabase database, String collectionName, CollectionOptions options, MVMap<Object, Document> dataMap,
                        MVMap<String, Object> metaMap, CursorRegistry cursorRegistry) {
        super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize, Document fieldSelector) {
        if (query.size() > 1 || !query.containsKey(ID)) {   // {_id: x} alone the _id index answers already
            String id = pinnedId(query);
            if (id != null) {
                Document byId = new Document(ID, id);
                for (Index<Object> index : getIndexes()) {
                    if (index.canHandle(byId)) {
                        return matchDocuments(query, index.getPositions(byId), orderBy, numberToSkip, limit, batchSize, fieldSelector);
                    }
                }
            }
        }
        return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    /**
     * The string a query requires {@code _id} to equal, {@code {_id: "x"}} or {@code {_id: {$eq: "x"}}}, beside other
     * conditions or in a condition of a top-level {@code $and}; null when it requires none.
     */
    static String pinnedId(Document query) {
        Object value = query.get(ID);
        if (value instanceof Document operator && operator.size() == 1) {
            value = operator.get("$eq");
        }
        if (value instanceof String id) {
            return id;
        }
        if (query.get("$and") instanceof List<?> conditions) {
            for (Object condition : conditions) {
                if (condition instanceof Document c) {
                    String id = pinnedId(c);
                    if (id != null) {
                        return id;
                    }
                }
            }
        }
        return null;
    }

    @Override
    protected QueryResult matchDocumentsFromStream(Document query, Stream<Document> documents, int numberToSkip, int numberToReturn,
                                                   int batchSize, Comparator<Document> order, Document fieldSelector) {
        if (order == null || numberToReturn <= 0 || numberToSkip < 0 || (long) numberToSkip + numberToReturn > MAX_KEPT) {
            return super.matchDocumentsFromStream(query, documents, numberToSkip, numberToReturn, batchSize, order, fieldSelector);
        }
        int keep = numberToSkip + numberToReturn;
        Comparator<Ranked> ranking = Comparator.<Ranked, Document>comparing(Ranked::document, order).thenComparingLong(Ranked::arrival);
        PriorityQueue<Ranked> first = new PriorityQueue<>(keep + 1, ranking.reversed());   // its head: the last of those kept
        long[] arrivals = {0};
        documents.filter(d -> documentMatchesQuery(d, query)).forEach(d -> {
            Ranked ranked = new Ranked(d, arrivals[0]++);
            if (first.size() < keep) {
                first.add(ranked);
            } else if (ranking.compare(ranked, first.peek()) < 0) {
                first.poll();
                first.add(ranked);
            }
        });
        List<Ranked> kept = new ArrayList<>(first);
        kept.sort(ranking);
        // the kept documents in order; skip, limit, projection and the cursor as mongo-java-server does them
        return super.matchDocumentsFromStream(query, kept.stream().map(Ranked::document), numberToSkip, numberToReturn, batchSize, order,
                fieldSelector);
    }

    /** A matching document and its place in the order the documents came in. */
    private record Ranked(Document document, long arrival) {
    }

    long documentsTested() {
        return tested.sum();
    }

    @Override
    protected boolean documentMatchesQuery(Document document, Document query) {
        tested.increment();
        if (query.size() == 1) {
            Map.Entry<String, Object> condition = query.entrySet().iterator().next();
            String field = condition.getKey();
            if (condition.getValue() instanceof Document operator && operator.size() == 1
                    && operator.get("$in") instanceof Collection<?> values && !field.startsWith("$") && field.indexOf('.') < 0
                    && document.get(field) instanceof String value) {
                Set<String> set = stringsIn(values);
                if (set != null) {
                    return set.contains(value);
                }
            }
        }
        return super.documentMatchesQuery(document, query);
    }

    /** The listed values as a set, or null unless every one is a string. */
    private Set<String> stringsIn(Collection<?> values) {
        StringsIn known = last;
        if (known != null && known.values() == values) {
            return known.set();
        }
        Set<String> set = new HashSet<>(values.size() * 2);
        for (Object v : values) {
            if (!(v instanceof String s)) {
                set = null;
                break;
            }
            set.add(s);
        }
        last = new StringsIn(values, set);
        return set;
    }
}
