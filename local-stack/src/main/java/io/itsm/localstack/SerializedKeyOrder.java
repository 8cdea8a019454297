package io.itsm.localstack;

import java.util.IdentityHashMap;
import java.util.Map;

import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;

import de.bwaldvogel.mongo.backend.KeyValue;

/**
 * The key type of the MongoDB-wire store's unique indexes: the order H2 gives them, computed faster.
 *
 * <p>mongo-java-server's {@code KeyValue} is not {@code Comparable}, so H2's {@link ObjectDataType} orders two index
 * keys by comparing their Java serialisations, and serialises both keys again at every step of every B-tree search
 * (a profile of an import: 30 % of the store's CPU, and most of its garbage). This type keeps each key's
 * serialisation for as long as the same key object is searched for or held by a page, so the order, and with it
 * every index already on disk, stays exactly as it was. Keys are written and read as before (the same bytes, written
 * from the kept serialisation), so a store file moves between this type and H2's own in both directions.
 */
final class SerializedKeyOrder extends ObjectDataType {

    /** Serialisations kept at most; then the memo starts again (a bound on its memory, ~20 MB). */
    static final int MAX_REMEMBERED = 65_536;

    /**
     * By identity: two equal keys may still serialise differently (e.g. documents with fields in another order). One
     * memo for every index in this JVM (each index map has a key type of its own), so the bound holds for the store.
     */
    private static final Map<KeyValue, byte[]> serialized = new IdentityHashMap<>();

    /** H2's tag before a Java serialisation ({@code ObjectDataType.TYPE_SERIALIZED_OBJECT}), its length and bytes follow. */
    static final byte TAG_SERIALIZED_OBJECT = 19;

    /**
     * A key as H2 writes it ({@link #TAG_SERIALIZED_OBJECT}, the length, the serialisation), from the serialisation
     * its comparisons made: a page that is saved wrote each of its keys' serialisations again (6 % of the store's CPU
     * in an import).
     */
    @Override
    public void write(WriteBuffer buff, Object obj) {
        if (obj instanceof KeyValue key) {
            byte[] bytes = serialization(key);
            buff.put(TAG_SERIALIZED_OBJECT).putVarInt(bytes.length).put(bytes);
            return;
        }
        super.write(buff, obj);
    }

    @Override
    public int compare(Object a, Object b) {
        if (a instanceof KeyValue first && b instanceof KeyValue second) {
            return a == b ? 0 : compareNotNull(serialization(first), serialization(second));
        }
        return super.compare(a, b);
    }

    private byte[] serialization(KeyValue key) {
        synchronized (serialized) {
            byte[] bytes = serialized.get(key);
            if (bytes != null) {
                return bytes;
            }
        }
        byte[] bytes = serialize(key);
        synchronized (serialized) {
            if (serialized.size() >= MAX_REMEMBERED) {
                serialized.clear();
            }
            serialized.put(key, bytes);
        }
        return bytes;
    }
}
