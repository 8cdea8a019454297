package io.itsm.events.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CausationTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void acceptsTheW3cExampleAndNewTraces() {
        assertThat(Causation.isValidTraceparent(TRACEPARENT)).isTrue();
        String fresh = Causation.newTrace();
        assertThat(fresh).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        assertThat(Causation.isValidTraceparent(fresh)).isTrue();
        assertThat(Causation.newTrace()).isNotEqualTo(fresh);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "garbage", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01" })
    void refusesMalformedTraceparents(String value) {
        assertThat(Causation.isValidTraceparent(value)).isFalse();
    }

    @Test
    void requestIdsArePrintableAndBounded() {
        assertThat(Causation.isValidRequestId("3f2c1a9e-6b7d-4e8f-9a0b-1c2d3e4f5a6b")).isTrue();
        assertThat(Causation.isValidRequestId("x".repeat(200))).isTrue();
        assertThat(Causation.isValidRequestId("x".repeat(201))).isFalse();
        assertThat(Causation.isValidRequestId("with space")).isFalse();
        assertThat(Causation.isValidRequestId("line\nbreak")).isFalse();
        assertThat(Causation.isValidRequestId("")).isFalse();
        assertThat(Causation.isValidRequestId(null)).isFalse();
    }

    @Test
    void theConsumedEventsCauseHoldsOnlyWhileItIsHandled() throws Exception {
        assertThat(Causation.consuming()).isFalse();
        String[] seen = Causation.whileConsuming(Map.of("traceparent", TRACEPARENT, "requestid", "req-1"),
                () -> new String[] {Causation.traceparentOfConsumedEvent(), Causation.requestIdOfConsumedEvent()});
        assertThat(seen).containsExactly(TRACEPARENT, "req-1");
        assertThat(Causation.consuming()).isFalse();
        assertThat(Causation.traceparentOfConsumedEvent()).isNull();
        assertThat(Causation.whileConsuming(Map.of("traceparent", "not valid"), Causation::traceparentOfConsumedEvent)).isNull();
    }
}
