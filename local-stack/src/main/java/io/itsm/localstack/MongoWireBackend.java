package io.itsm.localstack;

import java.util.List;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;

/**
 * mongo-java-server's H2 file backend, with its unique indexes (every {@code _id} included) ordered by
 * {@link SerializedKeyOrder} (the same order and file format, without serialising both keys at every comparison) and
 * its documents kept as BSON ({@link BsonDocumentType}) instead of Java serialisations.
 */
final class MongoWireBackend extends H2Backend {

    MongoWireBackend(MVStore store) {
        super(store);
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
                // the same for the collection's documents ("databases.<database>.<collection>"), kept as BSON
                store.openMap("databases." + getFullCollectionNamespace(collectionName),
                        new MVMap.Builder<Object, Document>().valueType(new BsonDocumentType()));
                return super.openOrCreateCollection(collectionName, options);
            }
        };
    }
}
