package io.itsm.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

import org.bson.BsonBinarySubType;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/**
 * A store file written by mongo-java-server's own H2 backend reads and grows under {@link MongoWireBackend}: documents
 * are found by {@code _id} and by a unique index, and the unique index still refuses duplicates. The backend's unique
 * indexes do use {@link SerializedKeyOrder} and its collections {@link BsonDocumentType} (it relies on how
 * mongo-java-server names their maps): the documents it writes are BSON in the file (which H2's own type cannot read),
 * those written before read as they were, and every BSON value type comes back as it went in after a restart.
 */
class MongoWireBackendTest {

    private static final int DOCUMENTS = 2_000;

    @TempDir
    Path dir;

    /** Writes are saved before their answer (LocalStackTest kills the store to see it); reads wait for no commit. */
    @Test
    void tellsTheCommandsThatWriteFromThoseThatOnlyRead() {
        de.bwaldvogel.mongo.bson.Document none = new de.bwaldvogel.mongo.bson.Document();
        for (String read : List.of("find", "getMore", "count", "listIndexes", "hello", "isMaster", "ping")) {
            assertThat(MongoWireBackend.isRead(read, none)).as(read).isTrue();
        }
        for (String write : List.of("insert", "update", "delete", "findAndModify", "createIndexes", "drop", "create")) {
            assertThat(MongoWireBackend.isRead(write, none)).as(write).isFalse();
        }
        assertThat(MongoWireBackend.isRead("aggregate", aggregate(new de.bwaldvogel.mongo.bson.Document("$match",
                new de.bwaldvogel.mongo.bson.Document()), new de.bwaldvogel.mongo.bson.Document("$count", "n")))).isTrue();
        for (String stage : List.of("$out", "$merge")) {
            assertThat(MongoWireBackend.isRead("aggregate", aggregate(new de.bwaldvogel.mongo.bson.Document("$match",
                    new de.bwaldvogel.mongo.bson.Document()), new de.bwaldvogel.mongo.bson.Document(stage, "copy"))))
                    .as(stage).isFalse();
        }
    }

    private static de.bwaldvogel.mongo.bson.Document aggregate(de.bwaldvogel.mongo.bson.Document... stages) {
        return new de.bwaldvogel.mongo.bson.Document("aggregate", "cis").append("pipeline", List.of(stages));
    }

    @Test
    void readsAndExtendsAStoreWrittenByH2sOwnBackend() {
        Path file = dir.resolve("cmdb.mv");
        withServer(H2Backend::new, file, ci -> {
            ci.createIndex(Indexes.ascending("serial"), new IndexOptions().unique(true));
            insert(ci, 0, DOCUMENTS);
        });
        withServer(MongoWireBackend::new, file, ci -> {
            assertFindsEvery(ci, DOCUMENTS);
            assertIndexesUseSerializedKeyOrder(ci);
            assertRefusesDuplicateSerial(ci);
            insert(ci, DOCUMENTS, 2 * DOCUMENTS);
        });
        withServer(MongoWireBackend::new, file, ci -> {
            assertFindsEvery(ci, 2 * DOCUMENTS);
            assertRefusesDuplicateSerial(ci);
        });
        assertStoredAsBson(file, id(DOCUMENTS));
    }

    @Test
    void keepsEveryBsonValueTypeAcrossARestart() {
        Path file = dir.resolve("types.mv");
        UUID uuid = UUID.randomUUID();
        Document nested = new Document("depth", 2).append("list", List.of(1, "two", new Document("three", 3.0)));
        Document typed = new Document("_id", new ObjectId())
                .append("int", 42).append("long", 1L << 40).append("double", -0.5).append("string", "zürich ✓")
                .append("true", true).append("false", false).append("null", null)
                .append("date", new Date(1_764_979_200_123L)).append("nested", nested).append("empty", new Document())
                .append("array", List.of()).append("binary", new Binary(new byte[] {0, 1, (byte) 255}))
                .append("uuid", new Binary(BsonBinarySubType.UUID_STANDARD, uuidBytes(uuid)))
                .append("decimal", new Decimal128(new BigDecimal("12345.6789"))).append("timestamp", new BsonTimestamp(7, 3));
        withServer(MongoWireBackend::new, file, ci -> ci.insertOne(typed));
        withServer(MongoWireBackend::new, file, ci -> {
            assertThat(ci.find(new Document("_id", typed.get("_id"))).first()).isEqualTo(typed);
            assertThat(ci.find(new Document("nested.list.three", 3.0)).first()).as("query into a nested array").isNotNull();
        });
    }

    @Test
    void answersInQueriesAsH2sOwnBackendDoes() {
        List<Document> documents = List.of(
                new Document("_id", "a").append("name", "alpha").append("tags", List.of("x", "y")).append("n", 1),
                new Document("_id", "b").append("name", "beta").append("tags", List.of("z")).append("n", 2L),
                new Document("_id", "c").append("name", "Alpha").append("n", 3.0),
                new Document("_id", "d").append("name", null).append("nested", new Document("k", "alpha")),
                new Document("_id", "e").append("n", "1"));
        List<Document> queries = List.of(
                new Document("_id", new Document("$in", List.of("a", "c", "zz"))),
                new Document("name", new Document("$in", List.of("alpha", "beta", "gamma"))),
                new Document("name", new Document("$in", List.of("ALPHA"))),
                new Document("name", new Document("$in", List.of())),
                new Document("name", new Document("$in", java.util.Arrays.asList("alpha", null))),
                new Document("tags", new Document("$in", List.of("y", "q"))),
                new Document("n", new Document("$in", List.of(1, 3))),
                new Document("n", new Document("$in", List.of("1", 2))),
                new Document("nested.k", new Document("$in", List.of("alpha"))),
                new Document("name", new Document("$in", List.of("alpha"))).append("n", 1));
        List<List<Object>> theirs = new ArrayList<>();
        List<List<Object>> ours = new ArrayList<>();
        withServer(H2Backend::new, dir.resolve("in-h2.mv"), ci -> {
            ci.insertMany(documents);
            queries.forEach(q -> theirs.add(ci.find(q).map(d -> d.get("_id")).into(new ArrayList<>())));
        });
        withServer(MongoWireBackend::new, dir.resolve("in-ours.mv"), ci -> {
            ci.insertMany(documents);
            queries.forEach(q -> ours.add(ci.find(q).map(d -> d.get("_id")).into(new ArrayList<>())));
        });
        assertThat(ours).isEqualTo(theirs);
        assertThat(ours.get(0)).containsExactlyInAnyOrder("a", "c");
        assertThat(ours.get(1)).containsExactlyInAnyOrder("a", "b");
        assertThat(ours.get(4)).containsExactlyInAnyOrder("a", "d", "e");
    }

    @Test
    void answersQueriesThatPinTheIdThroughItsIndexAsH2sOwnBackendDoes() {
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            documents.add(new Document("_id", "ci-" + i).append("version", i % 3).append("links", i % 2 == 0 ? 0L : null));
        }
        List<Document> queries = List.of(
                new Document("_id", "ci-6").append("version", 0),                                  // a compare-and-swap
                new Document("_id", "ci-6").append("version", 1),                                  // a stale one
                new Document("$and", List.of(new Document("_id", "ci-4").append("version", 1),       // Filters.and(cas, count)
                        new Document("$or", List.of(new Document("links", 0L), new Document("links", new Document("$exists", false)))))),
                new Document("$and", List.of(new Document("version", 2), new Document("_id", new Document("$eq", "ci-5")))),
                new Document("$and", List.of(new Document("_id", "ci-7"), new Document("links", 0L))),
                new Document("_id", "nobody").append("version", 0),
                new Document("$or", List.of(new Document("_id", "ci-1"), new Document("_id", "ci-2"))), // not pinned: a scan
                new Document("_id", new Document("$in", List.of("ci-1", "ci-2"))).append("version", 1));
        List<List<Object>> theirs = new ArrayList<>();
        List<List<Object>> ours = new ArrayList<>();
        List<Long> tested = new ArrayList<>();
        withServer(H2Backend::new, dir.resolve("pinned-h2.mv"), ci -> {
            ci.insertMany(documents);
            queries.forEach(q -> theirs.add(ci.find(q).map(d -> d.get("_id")).into(new ArrayList<>())));
        });
        withServer(MongoWireBackend::new, dir.resolve("pinned-ours.mv"), ci -> {
            ci.insertMany(documents);
            MongoWireCollection collection = (MongoWireCollection) openStore.resolveDatabase("cmdb").resolveCollection("ci", true);
            for (Document q : queries) {
                long before = collection.documentsTested();
                ours.add(ci.find(q).map(d -> d.get("_id")).into(new ArrayList<>()));
                tested.add(collection.documentsTested() - before);
            }
            // writes take the same path: a compare-and-swap with a count condition changes the one document
            long before = collection.documentsTested();
            assertThat(ci.updateOne(queries.get(2), new Document("$inc", new Document("version", 1))).getModifiedCount()).isOne();
            assertThat(ci.deleteOne(queries.get(4)).getDeletedCount()).isZero();
            assertThat(collection.documentsTested() - before).isLessThanOrEqualTo(2);
        });
        assertThat(ours).isEqualTo(theirs);
        assertThat(ours.subList(0, 6)).containsExactly(List.of("ci-6"), List.of(), List.of("ci-4"), List.of("ci-5"), List.of(), List.of());
        // the queries that pin _id test at most the one document the index found; the others test every document
        assertThat(tested.subList(0, 6)).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1));
        assertThat(tested.get(6)).isEqualTo(DOCUMENTS);
    }

    @Test
    void sortsAPageAsH2sOwnBackendDoes() {
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            // few distinct sort keys, so that ties are many: the same order as the whole sort's, ties as they came in
            documents.add(new Document("_id", id(i)).append("at", new Date(1_000L * (i % 37))).append("group", i % 5)
                    .append("name", "ci " + i));
        }
        Document newest = new Document("at", -1).append("_id", -1);
        record Page(Document filter, Document sort, int skip, int limit, int batch) {
        }
        List<Page> pages = List.of(
                new Page(new Document(), newest, 0, 50, 0),
                new Page(new Document(), newest, 100, 50, 7),                    // a later page, fetched in small batches
                new Page(new Document("group", 3), new Document("at", 1), 0, 25, 0), // ties kept in the order they came in
                new Page(new Document("group", 3), new Document("at", 1), 10, 25, 4),
                new Page(new Document("$or", List.of(new Document("at", new Document("$lt", new Date(5_000))),
                        new Document("at", new Date(5_000)).append("_id", new Document("$lt", id(500))))), newest, 0, 50, 0),
                new Page(new Document(), new Document("name", 1), DOCUMENTS - 10, 50, 0), // fewer left than the limit
                new Page(new Document(), new Document("name", 1), DOCUMENTS + 10, 50, 0), // nothing left
                new Page(new Document("group", 9), newest, 0, 50, 0));             // nothing matches
        List<List<Object>> theirs = new ArrayList<>();
        List<List<Object>> ours = new ArrayList<>();
        for (boolean mine : new boolean[] {false, true}) {
            List<List<Object>> answers = mine ? ours : theirs;
            withServer(mine ? MongoWireBackend::new : H2Backend::new, dir.resolve(mine ? "sort-ours.mv" : "sort-h2.mv"), ci -> {
                ci.insertMany(documents);
                for (Page p : pages) {
                    var find = ci.find(p.filter()).sort(p.sort()).skip(p.skip()).limit(p.limit())
                            .projection(new Document("name", 1));
                    if (p.batch() > 0) {
                        find.batchSize(p.batch());
                    }
                    answers.add(find.map(d -> (Object) (d.get("_id") + "/" + d.get("name") + "/" + d.containsKey("at"))).into(new ArrayList<>()));
                }
            });
        }
        assertThat(ours).isEqualTo(theirs);
        assertThat(ours.get(0)).hasSize(50);
        assertThat(ours.get(1)).hasSize(50);
        assertThat(ours.get(5)).hasSize(10);
        assertThat(ours.get(6)).isEmpty();
        assertThat(ours.get(0).get(0).toString()).endsWith("/false"); // the projection applies
    }

    /**
     * Every command's commit writes a chunk and H2 keeps old chunks for its retention time, so a store under load grows to
     * several times its data, and closing the store leaves the file so. This backend, stopped, writes the pages in use
     * to a new file instead (the same load without it is the measure), and every document reads back with its last
     * values.
     */
    @Test
    void aStoppedStoreGivesBackTheSpaceItsFileHoldsForDataNoLongerInUse() throws Exception {
        Consumer<MongoCollection<Document>> load = ci -> {
            ci.createIndex(Indexes.ascending("serial"), new IndexOptions().unique(true));
            insert(ci, 0, DOCUMENTS);
            for (int round = 1; round <= 3; round++) {
                for (int i = 0; i < DOCUMENTS; i++) {
                    ci.updateOne(new Document("_id", id(i)), new Document("$set", new Document("round", round)));
                }
            }
        };
        Path kept = dir.resolve("kept.mv");
        Path ours = dir.resolve("ours.mv");
        withServer(store -> new MongoWireBackend(store, Long.MAX_VALUE), kept, load);
        withServer(store -> new MongoWireBackend(store, 0), ours, load);

        assertThat(Files.size(ours)).as("the compacted file against the same load's without (%d bytes)", Files.size(kept))
                .isLessThan(Files.size(kept) / 2);
        assertThat(dir.resolve("ours.mv.tempFile")).doesNotExist();
        withServer(MongoWireBackend::new, ours, ci -> {
            assertFindsEvery(ci, DOCUMENTS);
            assertThat(ci.countDocuments(new Document("round", 3))).isEqualTo(DOCUMENTS);
            assertRefusesDuplicateSerial(ci);
        });
    }

    private static byte[] uuidBytes(UUID uuid) {
        return ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array();
    }

    /** Reads the document's stored value with H2's own type, which fails on a BSON document's tag. */
    private static void assertStoredAsBson(Path file, String id) {
        MVStore store = MVStore.open(file.toString());
        try {
            MVMap<Object, Object> documents = store.openMap("databases.cmdb.ci");
            assertThatThrownBy(() -> documents.get(id)).as(id).hasMessageContaining("Unknown tag 127");
        } finally {
            store.close();
        }
    }

    private static void insert(MongoCollection<Document> ci, int from, int to) {
        List<Document> documents = new ArrayList<>();
        for (int i = from; i < to; i++) {
            documents.add(new Document("_id", id(i)).append("serial", "SN-" + i).append("name", "ci " + i));
        }
        ci.insertMany(documents);
    }

    private static void assertFindsEvery(MongoCollection<Document> ci, int count) {
        assertThat(ci.countDocuments()).isEqualTo(count);
        for (int i = 0; i < count; i += 7) {
            Document found = ci.find(new Document("_id", id(i))).first();
            assertThat(found).as("_id %d", i).isNotNull();
            assertThat(found.getString("serial")).isEqualTo("SN-" + i);
            assertThat(ci.find(new Document("serial", "SN-" + i)).first()).as("serial %d", i).isNotNull();
        }
        assertThat(ci.find(new Document("_id", "missing")).first()).isNull();
    }

    /** The speed-up applies: every unique index the backend opened (_id and serial) orders its keys by SerializedKeyOrder. */
    private void assertIndexesUseSerializedKeyOrder(MongoCollection<Document> ci) {
        List<String> indexMaps = openStore.getMvStore().getMapNames().stream().filter(n -> n.contains("._index_")).toList();
        assertThat(indexMaps).contains("cmdb.ci._index__id_", "cmdb.ci._index_serial_1");
        for (String name : indexMaps) {
            assertThat(openStore.getMvStore().openMap(name).getKeyType()).as(name).isInstanceOf(SerializedKeyOrder.class);
        }
        assertThat(openStore.getMvStore().openMap("databases.cmdb.ci").getValueType()).isInstanceOf(BsonDocumentType.class);
        assertThat(openStore.resolveDatabase("cmdb").resolveCollection("ci", true)).isInstanceOf(MongoWireCollection.class);
    }

    private static void assertRefusesDuplicateSerial(MongoCollection<Document> ci) {
        assertThatThrownBy(() -> ci.insertOne(new Document("_id", "another").append("serial", "SN-3")))
                .isInstanceOf(MongoWriteException.class).hasMessageContaining("E11000");
        assertThatThrownBy(() -> ci.insertOne(new Document("_id", id(5)).append("serial", "SN-new")))
                .isInstanceOf(MongoWriteException.class).hasMessageContaining("E11000");
    }

    private static String id(int i) {
        return String.format("%08x-0000-4000-8000-%012d", i * 2_654_435_761L & 0xffffffffL, i);
    }

    private H2Backend openStore;

    private void withServer(Function<MVStore, H2Backend> backend, Path file, Consumer<MongoCollection<Document>> work) {
        H2Backend store = backend.apply(MVStore.open(file.toString()));
        openStore = store;
        MongoServer server = new MongoServer(store);
        try {
            var address = server.bind();
            try (MongoClient client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort())) {
                work.accept(client.getDatabase("cmdb").getCollection("ci"));
            }
        } finally {
            server.shutdown();
            store.close();
        }
    }
}
