package io.itsm.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.itsm.rest.patch.MergePatch;

/** The test cases of RFC 7396, Appendix A, one by one. */
class MergePatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "{\"a\":\"b\"}                | {\"a\":\"c\"}               | {\"a\":\"c\"}",
            "{\"a\":\"b\"}                | {\"b\":\"c\"}               | {\"a\":\"b\",\"b\":\"c\"}",
            "{\"a\":\"b\"}                | {\"a\":null}                | {}",
            "{\"a\":\"b\",\"b\":\"c\"}    | {\"a\":null}                | {\"b\":\"c\"}",
            "{\"a\":[\"b\"]}              | {\"a\":\"c\"}               | {\"a\":\"c\"}",
            "{\"a\":\"c\"}                | {\"a\":[\"b\"]}             | {\"a\":[\"b\"]}",
            "{\"a\":{\"b\":\"c\"}}        | {\"a\":{\"b\":\"d\",\"c\":null}} | {\"a\":{\"b\":\"d\"}}",
            "{\"a\":[{\"b\":\"c\"}]}      | {\"a\":[1]}                 | {\"a\":[1]}",
            "[\"a\",\"b\"]                | [\"c\",\"d\"]               | [\"c\",\"d\"]",
            "{\"a\":\"b\"}                | [\"c\"]                     | [\"c\"]",
            "{\"a\":\"foo\"}              | null                        | null",
            "{\"a\":\"foo\"}              | \"bar\"                     | \"bar\"",
            "{\"e\":null}                 | {\"a\":1}                   | {\"e\":null,\"a\":1}",
            "[1,2]                        | {\"a\":\"b\",\"c\":null}    | {\"a\":\"b\"}",
            "{}                           | {\"a\":{\"bb\":{\"ccc\":null}}} | {\"a\":{\"bb\":{}}}"})
    void appliesAsTheRfcSays(String target, String patch, String expected) throws Exception {
        assertThat(MergePatch.apply(JSON.readTree(target), JSON.readTree(patch))).isEqualTo(JSON.readTree(expected));
    }

    @ParameterizedTest(name = "the target {0} is not modified")
    @CsvSource(delimiter = '|', value = {"{\"a\":{\"b\":1}} | {\"a\":{\"b\":null}}"})
    void leavesTheTargetAlone(String target, String patch) throws Exception {
        var original = JSON.readTree(target);
        MergePatch.apply(original, JSON.readTree(patch));
        assertThat(original).isEqualTo(JSON.readTree(target));
    }
}
