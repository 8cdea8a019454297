package io.itsm.requesthead;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.itsm.requesthead.RequestHead.Refusal;

class RequestHeadTest {

    private static final List<Map.Entry<String, String>> SMALL = List.of(Map.entry("Host", "localhost"),
            Map.entry("Accept", "application/json"));

    @Test
    void aValidTargetWithinTheLimitsIsNotRefused() {
        assertThat(RequestHead.check("/api/incidents?q=disk%20100%25&sort=-priority", SMALL, 100, 1000)).isEmpty();
        assertThat(RequestHead.check("/api/cmdb/cis/CI0010001/impact?depth=6&types=RUNS_ON", SMALL, 100, 1000)).isEmpty();
    }

    @Test
    void aTargetThatIsNotAUriIsA400NamingThePartAndTheCharacter() {
        assertThat(RequestHead.notAUri("/api/incidents?q=100%")).contains(
                new Refusal(400, "query", "is not a valid URI query: Malformed escape pair at character 21"));
        assertThat(RequestHead.notAUri("/api/incidents/%zz/history")).contains(
                new Refusal(400, "path", "is not a valid URI path: Malformed escape pair at character 16"));
        assertThat(RequestHead.notAUri("/api/cmdb/cis?q=a{b}")).contains(
                new Refusal(400, "query", "is not a valid URI query: Illegal character in query at character 18"));
        assertThat(RequestHead.notAUri("/api/changes/CHG<1>?x=1").orElseThrow().field()).isEqualTo("path");
        assertThat(RequestHead.notAUri("/api/changes/CHG<1>?x=1").orElseThrow().detail())
                .isEqualTo("path is not a valid URI path: Illegal character in path at character 17");
    }

    @Test
    void aTargetLongerThanTheLimitIsA414AndOneAtTheLimitIsNot() {
        assertThat(RequestHead.uriTooLong("/" + "x".repeat(99), 100)).isEmpty();
        assertThat(RequestHead.uriTooLong("/" + "x".repeat(100), 100))
                .contains(new Refusal(414, null, "The request URI is longer than 100 characters"));
        // length first: a long target is refused as such even when it is also malformed
        assertThat(RequestHead.check("/%zz" + "x".repeat(200), SMALL, 100, 1000).orElseThrow().status()).isEqualTo(414);
    }

    @Test
    void headersBeyondTheLimitAreA431NamingTheLargest() {
        List<Map.Entry<String, String>> big = List.of(Map.entry("Host", "localhost"),
                Map.entry("Authorization", "Bearer " + "x".repeat(993)), Map.entry("X-Small", "y"));
        // 4+9+4 + 13+1000+4 + 7+1+4 = 1046 bytes
        assertThat(RequestHead.headersTooLarge(big, 1046)).isEmpty();
        assertThat(RequestHead.headersTooLarge(big, 1045)).contains(new Refusal(431, null,
                "The request headers take 1046 bytes, more than 1045; the largest is Authorization (1000 bytes)"));
    }

    @Test
    void aDeclaredBodyBeyondTheLimitIsA413AndAnUnreadableLengthIsLeftToTheServer() {
        assertThat(RequestHead.bodyTooLarge("1024", 1024)).isEmpty();
        assertThat(RequestHead.bodyTooLarge(" 1025 ", 1024))
                .contains(new Refusal(413, null, "The request body is larger than 1024 bytes"));
        assertThat(RequestHead.bodyTooLarge(null, 1024)).isEmpty();
        assertThat(RequestHead.bodyTooLarge("abc", 1024)).isEmpty();
    }

    @Test
    void aDeclaredBodyLengthIsTheHeadersNumberOrMinusOne() {
        assertThat(RequestHead.declaredBodyLength("57")).isEqualTo(57);
        assertThat(RequestHead.declaredBodyLength(" 57 ")).isEqualTo(57);
        assertThat(RequestHead.declaredBodyLength(null)).isEqualTo(-1);
        assertThat(RequestHead.declaredBodyLength("1e3")).isEqualTo(-1);
        assertThat(RequestHead.declaredBodyLength("99999999999999999999")).isEqualTo(-1);
    }
}
