package io.itsm.localstack;

import java.io.File;
import java.util.List;
import java.util.Set;

import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreTool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * mongo-java-server's H2 file backend, with its unique indexes (every {@code _id} included) ordered by
 * {@link SerializedKeyOrder} (the same order and file format, without serialising both keys at every comparison), its
 * documents kept as BSON ({@link BsonDocumentType}) instead of Java serialisations, and {@code $in} over strings matched
 * by a set ({@link MongoWireCollection}). A command that changed the store is written to the file before it is answered:
 * the H2 store would otherwise keep changes in memory for up to a second (its auto-commit delay), and a crash of the
 * process would lose writes the client was told were done. The file is written, not synced, so a crash of the process
 * loses nothing, a crash of the machine may (as the local PostgreSQL without fsync). A store that stops gracefully
 * gives back the space its file holds for data no longer in use, when that is most of the file.
 */
final class MongoWireBackend extends H2Backend {

    private static final Logger log = LoggerFactory.getLogger(MongoWireBackend.class);

    /** A file is compacted when it stops only from this size on (a smaller one is not worth the stop's time). */
    static final long COMPACT_FROM_BYTES = 64L << 20;

    private final long compactFromBytes;

    MongoWireBackend(MVStore store) {
        this(store, COMPACT_FROM_BYTES);
    }

    MongoWireBackend(MVStore store, long compactFromBytes) {
        super(store);
        this.compactFromBytes = compactFromBytes;
    }

    /**
     * Closes the store, then rewrites its file with only the pages in use when they fill less than half of it. Under a
     * sustained load the file grows to several times its data (every command's commit writes a chunk, and old chunks are
     * kept for H2's retention time of 45 s); H2 moves and truncates chunks once the store idles, but a stop under load,
     * or soon after it, would keep the whole file. The rewrite is H2's own (a copy of the live pages into a new file that
     * then replaces the old one by an atomic rename): a stop cut short by a kill leaves the old file as it was.
     */
    @Override
    public void close() {
        // MongoServer's shutdown closes the backend too, and so may its owner after it: only the first close compacts
        FileStore<?> file = getMvStore().getFileStore();
        if (getMvStore().isClosed() || file == null || file.isReadOnly()) {
            super.close();
            return;
        }
        String fileName = file.getFileName();
        long size = file.size();
        long inUse = size * file.getFillRate() / 100 * file.getChunksFillRate() / 100;
        super.close();
        if (size >= compactFromBytes && inUse < size / 2) {
            long start = System.nanoTime();
            try {
                MVStoreTool.compact(fileName, false);
                log.info("compacted {}: {} MB to {} MB ({} MB estimated in use) in {} ms", fileName, size >> 20,
                        new File(fileName).length() >> 20, inUse >> 20, (System.nanoTime() - start) / 1_000_000);
            } catch (RuntimeException e) {
                log.warn("could not compact {} ({} MB); it stays as it was", fileName, size >> 20, e);
            }
        }
    }

    /**
     * Commands that never change the store. Any other command's changes are written before it is answered; these are
     * answered at once, even while another command's changes are unsaved (that command writes them before its own
     * answer): a read waits for no one's commit, which may wait for H2's lock behind its housekeeping.
     */
    private static final Set<String> READS = Set.of("find", "getMore", "count", "distinct", "listCollections",
            "listIndexes", "listDatabases", "isMaster", "ismaster", "hello", "ping", "buildInfo", "buildinfo",
            "serverStatus", "dbStats", "collStats", "killCursors", "endSessions", "getParameter", "whatsmyuri",
            "connectionStatus", "hostInfo", "getCmdLineOpts", "getLastError", "getlasterror");

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        try {
            return super.handleCommand(channel, databaseName, command, query);
        } finally {
            // also after a failed command: an unordered bulk write may have written some of its documents.
            // Concurrent writers commit together: whoever takes the store's lock first writes the others' changes too.
            if (!isRead(command, query) && getMvStore().hasUnsavedChanges()) {
                commit();
            }
        }
    }

    /** An aggregation reads unless a stage writes its result ($out, $merge). */
    static boolean isRead(String command, Document query) {
        if (READS.contains(command)) {
            return true;
        }
        if (command.equals("aggregate") && query.get("pipeline") instanceof List<?> pipeline) {
            return pipeline.stream().noneMatch(stage -> stage instanceof Document d
                    && (d.containsKey("$out") || d.containsKey("$merge")));
        }
        return false;
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        MVStore store = getMvStore();
        return new H2Database(databaseName, store, getCursorRegistry()) {
            @Override
            protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                            boolean sparse) {
                // H2Database opens the index's map by name; opened here first, with the key type, it finds it open
                // (the name is H2Database's own: "<database>.<collection>._index_<index>")
                store.openMap(getFullCollectionNamespace(collectionName) + "._index_" + indexName,
                        new MVMap.Builder<KeyValue, Object>().keyType(new SerializedKeyOrder()));
                return super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse);
            }

            @Override
            protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
                // as H2Database's own, with the collection's documents ("databases.<database>.<collection>") kept as
                // BSON and its $in matched by a set (MongoWireCollection)
                String fullName = getFullCollectionNamespace(collectionName);
                MVMap<Object, Document> dataMap = store.openMap("databases." + fullName,
                        new MVMap.Builder<Object, Document>().valueType(new BsonDocumentType()));
                MVMap<String, Object> metaMap = store.openMap("meta." + fullName);
                return new MongoWireCollection(this, collectionName, options, dataMap, metaMap, cursorRegistry);
            }
        };
    }
}
