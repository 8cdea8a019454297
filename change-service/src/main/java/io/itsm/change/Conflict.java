package io.itsm.change;

import java.time.Instant;
import java.util.UUID;

/**
 * One reason a change's planned window is not free: another scheduled or implementing change on a shared CI
 * ({@code CHANGE}), or a blackout window ({@code BLACKOUT}).
 */
public record Conflict(Kind kind, UUID changeId, String changeNumber, UUID configurationItemId, UUID blackoutWindowId,
                       Instant from, Instant to, String reason) {

    public enum Kind {
        CHANGE, BLACKOUT
    }
}
