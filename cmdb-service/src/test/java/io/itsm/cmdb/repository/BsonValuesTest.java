package io.itsm.cmdb.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;

/** Free-form attributes survive the trip to BSON and back as the same JSON values. */
class BsonValuesTest {

    @Test
    void everyJsonValueRoundTrips() {
        Map<String, Object> attributes = Map.of(
                "text", "Zürich",
                "int", 8,
                "long", 12_345_678_901L,
                "double", 1.5,
                "decimal", new BigDecimal("12.3400"),
                "huge", new BigInteger("123456789012345678901234567890"),
                "flag", true,
                "list", List.of(1, "two", Map.of("three", 3)),
                "nested", Map.of("deeper", Map.of("x", List.of())));
        Object bson = BsonValues.toBson(attributes);
        assertThat(bson).isInstanceOf(Document.class);
        assertThat(((Document) bson).get("decimal")).isInstanceOf(Decimal128.class);
        // round trip through the driver's own encoding, as storing and reading does
        Document stored = Document.parse(((Document) bson).toJson());
        Map<String, Object> back = BsonValues.attributesFromBson(stored);
        assertThat(back).containsEntry("text", "Zürich").containsEntry("int", 8).containsEntry("long", 12_345_678_901L)
                .containsEntry("double", 1.5).containsEntry("decimal", new BigDecimal("12.3400"))
                .containsEntry("huge", new BigDecimal("123456789012345678901234567890")).containsEntry("flag", true)
                .containsEntry("list", List.of(1, "two", Map.of("three", 3)))
                .containsEntry("nested", Map.of("deeper", Map.of("x", List.of())));
    }
}
