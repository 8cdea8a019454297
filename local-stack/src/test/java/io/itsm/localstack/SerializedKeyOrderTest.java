package io.itsm.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;

/** The index key order is H2's own, key for key: the indexes already on disk stay valid. */
class SerializedKeyOrderTest {

    private final ObjectDataType h2 = new ObjectDataType();
    private final SerializedKeyOrder order = new SerializedKeyOrder();

    @Test
    void ordersEveryPairOfKeysAsH2Does() {
        List<KeyValue> keys = sampleKeys(new Random(42), 300);
        for (KeyValue a : keys) {
            for (KeyValue b : keys) {
                assertThat(Integer.signum(order.compare(a, b)))
                        .as("%s vs %s", a, b)
                        .isEqualTo(Integer.signum(h2.compare(a, b)));
            }
        }
    }

    @Test
    void equalKeysThatAreDistinctObjectsCompareEqual() {
        KeyValue a = new KeyValue("CI0010001");
        KeyValue b = new KeyValue("CI0010001");
        assertThat(order.compare(a, b)).isZero();
        assertThat(order.compare(a, a)).isZero();
        assertThat(order.compare(a, new KeyValue("CI0010002"))).isNotZero();
    }

    @Test
    void staysRightAfterTheMemoStartsAgain() {
        List<KeyValue> keys = sampleKeys(new Random(7), SerializedKeyOrder.MAX_REMEMBERED + 1_000);
        KeyValue first = keys.get(0);
        for (KeyValue key : keys) {
            assertThat(Integer.signum(order.compare(first, key))).isEqualTo(Integer.signum(h2.compare(first, key)));
        }
        for (KeyValue key : keys.subList(0, 500)) {
            assertThat(Integer.signum(order.compare(key, first))).isEqualTo(Integer.signum(h2.compare(key, first)));
        }
    }

    @Test
    void writesEveryKeyAsH2DoesAndReadsItBack() {
        for (KeyValue key : sampleKeys(new Random(11), 60)) {
            order.compare(key, new KeyValue("x"));      // its serialisation kept, as after a search
            WriteBuffer ours = new WriteBuffer();
            order.write(ours, key);
            WriteBuffer theirs = new WriteBuffer();
            h2.write(theirs, key);
            assertThat(bytes(ours)).as("%s", key).isEqualTo(bytes(theirs));
            assertThat(h2.read(ours.getBuffer().flip())).isEqualTo(key);
        }
        WriteBuffer other = new WriteBuffer();
        order.write(other, "not a key");
        assertThat(bytes(other)).isEqualTo(bytes(h2Written("not a key")));
    }

    private WriteBuffer h2Written(Object value) {
        WriteBuffer buffer = new WriteBuffer();
        h2.write(buffer, value);
        return buffer;
    }

    private static byte[] bytes(WriteBuffer buffer) {
        ByteBuffer written = buffer.getBuffer().duplicate().flip();
        byte[] bytes = new byte[written.remaining()];
        written.get(bytes);
        return bytes;
    }

    @Test
    void leavesOtherValuesToH2() {
        assertThat(Integer.signum(order.compare("a", "b"))).isEqualTo(Integer.signum(h2.compare("a", "b")));
        assertThat(Integer.signum(order.compare(3L, 2L))).isEqualTo(Integer.signum(h2.compare(3L, 2L)));
        KeyValue key = new KeyValue("a");
        assertThat(Integer.signum(order.compare(key, "a"))).isEqualTo(Integer.signum(h2.compare(key, "a")));
    }

    /** The kinds of values the CMDB's unique indexes hold: strings, UUIDs, numbers, compound keys, documents. */
    private static List<KeyValue> sampleKeys(Random random, int count) {
        List<KeyValue> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            keys.add(switch (i % 6) {
                case 0 -> new KeyValue(new UUID(random.nextLong(), random.nextLong()).toString());
                case 1 -> new KeyValue(String.format("CI%07d", random.nextInt(10_000_000)));
                case 2 -> new KeyValue(random.nextInt());
                case 3 -> new KeyValue(random.nextLong(), "serialNumber:" + random.nextInt(1000));
                case 4 -> new KeyValue(new Document("kind", "hostname").append("value", "host-" + random.nextInt(1000)));
                default -> new KeyValue(random.nextDouble(), null);
            });
        }
        return keys;
    }
}
