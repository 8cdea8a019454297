package io.itsm.localstack;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The value type of the MongoDB-wire store's collections: documents kept as BSON, as they travel on the wire, instead of
 * as Java serialisations.
 *
 * <p>H2's {@link ObjectDataType} writes a document with Java serialisation (class descriptors, a handle table, every
 * boxed number an object) each time the page holding it is saved, and reads it back the same way each time the page
 * comes back from disk: in a profile of an import, a fifth of the store's CPU. A document is written here as one tag
 * byte ({@link #TAG_BSON}, a tag {@link ObjectDataType} never writes) and its BSON; everything else, and a document
 * the BSON encoder refuses, is written as before. Values written by {@link ObjectDataType} are read as before, so a
 * store file written before this type reads on (its documents become BSON as their pages are saved again); a file
 * written with it needs this type to read its documents.
 *
 * <p>BSON keeps exactly what a client sees: every document in the store came in over the wire or was made by the
 * server from such values, and goes out over the wire the same way.
 */
final class BsonDocumentType extends ObjectDataType {

    /** The tag before a BSON document; {@link ObjectDataType} uses 0-119 and fails on anything else. */
    static final byte TAG_BSON = 127;

    /** A BSON document's own length: a little-endian int32 at its start. */
    private static final int LENGTH_BYTES = 4;

    /**
     * How many bytes of heap a document takes per byte of its BSON, for the page cache's accounting: a CI document of
     * 471 bytes of BSON took 3,247 bytes of heap once decoded (6.9). H2's estimate for a Java serialisation, twice its
     * length, said 1,768 for the same document: the cache held almost twice the memory it was given.
     */
    static final int HEAP_BYTES_PER_BSON_BYTE = 7;

    /** The encoder's scratch buffer, one per thread (pages are saved by one thread at a time, reads by the workers). */
    private static final ThreadLocal<ByteBuf> SCRATCH = ThreadLocal.withInitial(() -> Unpooled.buffer(4096));

    /** A running average of the BSON length of the documents written, for {@link #getMemory}. */
    private volatile int averageLength = 512;

    @Override
    public void write(WriteBuffer buff, Object obj) {
        if (obj instanceof Document document) {
            ByteBuf scratch = SCRATCH.get();
            scratch.clear();
            boolean encoded;
            try {
                BsonEncoder.encodeDocument(document, scratch);
                encoded = true;
            } catch (RuntimeException unknownType) {
                encoded = false;
            }
            if (encoded) {
                int length = scratch.readableBytes();
                buff.put(TAG_BSON).put(scratch.array(), scratch.arrayOffset() + scratch.readerIndex(), length);
                averageLength = (averageLength * 15 + length) / 16;
                if (scratch.capacity() > (1 << 20)) {
                    SCRATCH.remove();
                }
                return;
            }
        }
        super.write(buff, obj);
    }

    @Override
    public Object read(ByteBuffer buff) {
        if (buff.get(buff.position()) != TAG_BSON) {
            return super.read(buff);
        }
        buff.get();
        int start = buff.position();
        int length = buff.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(start);
        if (length < LENGTH_BYTES + 1 || length > buff.remaining()) {
            throw new IllegalStateException("corrupt BSON document in the store: length " + length + " at " + start);
        }
        ByteBuf bson;
        if (buff.hasArray()) {
            bson = Unpooled.wrappedBuffer(buff.array(), buff.arrayOffset() + start, length);
        } else {
            byte[] bytes = new byte[length];
            buff.get(start, bytes);
            bson = Unpooled.wrappedBuffer(bytes);
        }
        Document document = BsonDecoder.decodeBson(bson);
        buff.position(start + length);
        return document;
    }

    @Override
    public int getMemory(Object obj) {
        return obj instanceof Document ? averageLength * HEAP_BYTES_PER_BSON_BYTE : super.getMemory(obj);
    }
}
