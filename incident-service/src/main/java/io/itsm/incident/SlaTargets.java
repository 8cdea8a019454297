package io.itsm.incident;

import java.time.Duration;

/** The response and resolution targets of one priority; {@code null} where the priority has no target. */
public record SlaTargets(Duration response, Duration resolution) {

    public static final SlaTargets NONE = new SlaTargets(null, null);
}
