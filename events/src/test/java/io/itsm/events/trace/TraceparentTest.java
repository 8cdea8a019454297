package io.itsm.events.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceparentTest {

    @Test
    void acceptsTheW3cExampleAndNewTraces() {
        assertThat(Traceparent.isValid("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isTrue();
        String fresh = Traceparent.newTrace();
        assertThat(fresh).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        assertThat(Traceparent.isValid(fresh)).isTrue();
        assertThat(Traceparent.newTrace()).isNotEqualTo(fresh);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "garbage", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01" })
    void refusesMalformedOnes(String value) {
        assertThat(Traceparent.isValid(value)).isFalse();
    }

    @Test
    void theConsumedEventsTraceHoldsOnlyWhileItIsHandled() throws Exception {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        assertThat(Traceparent.ofConsumedEvent()).isNull();
        String seen = Traceparent.whileConsuming(traceparent, Traceparent::ofConsumedEvent);
        assertThat(seen).isEqualTo(traceparent);
        assertThat(Traceparent.ofConsumedEvent()).isNull();
        assertThat(Traceparent.whileConsuming("not valid", Traceparent::ofConsumedEvent)).isNull();
    }
}
