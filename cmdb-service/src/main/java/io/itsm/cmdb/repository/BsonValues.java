package io.itsm.cmdb.repository;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * Converts free-form JSON values (as Jackson reads them into {@code Map<String, Object>}) to BSON and back,
 * so any number a client sends can be stored and comes back as the same JSON number.
 */
public final class BsonValues {

    private BsonValues() {
    }

    static Object toBson(Object value) {
        if (value instanceof Map<?, ?> map) {
            Document doc = new Document();
            map.forEach((k, v) -> doc.append(String.valueOf(k), toBson(v)));
            return doc;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(toBson(v)));
            return out;
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < 64 ? (Object) big.longValue() : decimal(new BigDecimal(big));
        }
        if (value instanceof BigDecimal decimal) {
            return decimal(decimal);
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        return value;
    }

    static Object fromBson(Object value) {
        if (value instanceof Document doc) {
            Map<String, Object> map = new LinkedHashMap<>();
            doc.forEach((k, v) -> map.put(k, fromBson(v)));
            return map;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(fromBson(v)));
            return out;
        }
        if (value instanceof Decimal128 d) {
            return d.bigDecimalValue();
        }
        if (value instanceof Date date) {
            return date.toInstant();
        }
        if (value instanceof ObjectId id) {
            return id.toHexString();
        }
        return value;
    }

    /** The attributes as they come back from the store (numbers in the type the store keeps): what the API shows after a write. */
    public static Map<String, Object> normalized(Map<String, Object> attributes) {
        return attributes == null ? new LinkedHashMap<>() : attributesFromBson(toBson(attributes));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> attributesFromBson(Object value) {
        return value instanceof Document doc ? (Map<String, Object>) fromBson(doc) : new LinkedHashMap<>();
    }

    /** Decimal128 holds 34 significant digits; a longer number is kept exactly as its text. */
    private static Object decimal(BigDecimal value) {
        try {
            return new Decimal128(value);
        } catch (NumberFormatException e) {
            return value.toString();
        }
    }
}
