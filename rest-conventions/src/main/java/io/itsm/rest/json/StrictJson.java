package io.itsm.rest.json;

import java.io.IOException;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * How every service reads JSON from a client, stricter than Jackson's defaults where those let bad input through to a
 * 500 (found by the suite's bad-input fuzzer): a key given twice in one object is malformed JSON (400, instead of one
 * value silently winning or a record's creator failing), and a text may not contain the NUL character U+0000, which
 * PostgreSQL cannot store (400 naming the field).
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    /** Why a text with U+0000 is refused. */
    public static final String NUL_MESSAGE = "must not contain the NUL character (U+0000)";

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.registerModule(new SimpleModule("itsm-strict-json").addDeserializer(String.class, new NulFreeString()));
    }

    /** Jackson's own string reading, then a refusal of U+0000. */
    static final class NulFreeString extends StdScalarDeserializer<String> {

        NulFreeString() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            if (value != null && value.indexOf('\u0000') >= 0) {
                throw InvalidFormatException.from(p, NUL_MESSAGE, value, String.class);
            }
            return value;
        }
    }
}
