package io.itsm.rest.paging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.itsm.rest.ProblemException;

/**
 * An opaque keyset cursor: the sort order it belongs to and the sort-key values of the last item of a page,
 * as URL-safe base64 of a small JSON array. The next page starts strictly after those values, so pages stay
 * stable while items are added, unlike offsets.
 */
public record Cursor(String order, List<String> values) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String encode() {
        ArrayNode array = JSON.createArrayNode();
        array.add(order);
        values.forEach(array::add);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(array.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Decodes a cursor a client sent back and checks it belongs to the current order.
     *
     * @throws ProblemException 400 when it is not a cursor of this API, or was made for another sort order
     */
    public static Cursor decode(String text, String expectedOrder, int expectedValues) {
        List<String> values = new ArrayList<>();
        String order;
        try {
            JsonNode array = JSON.readTree(Base64.getUrlDecoder().decode(text));
            if (array == null || !array.isArray() || array.size() != expectedValues + 1) {
                throw notACursor();
            }
            order = array.get(0).asText();
            for (int i = 1; i < array.size(); i++) {
                values.add(array.get(i).asText());
            }
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw notACursor();
        }
        if (!order.equals(expectedOrder)) {
            throw ProblemException.invalid("cursor", "was made for sort=" + order + "; send the same sort with it, or start again without a cursor");
        }
        return new Cursor(order, List.copyOf(values));
    }

    /** 400: the text is not a cursor this API made (also for values in it that do not parse). */
    public static ProblemException notACursor() {
        return ProblemException.invalid("cursor", "is not a cursor of this list; use the Link rel=\"next\" of the previous page");
    }
}
