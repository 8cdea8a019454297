package io.itsm.change;

import java.time.Instant;
import java.util.UUID;

/**
 * One reason a change's planned window is not free: another scheduled or implementing change on a shared or related
 * CI ({@code CHANGE}), a blackout window ({@code BLACKOUT}), or a CI in scope whose maintenance window the planned
 * window does not fit into ({@code MAINTENANCE_WINDOW}).
 */
public record Conflict(Kind kind, UUID changeId, String changeNumber, UUID configurationItemId, UUID blackoutWindowId,
                       Instant from, Instant to, String reason) {

    public enum Kind {
        CHANGE, BLACKOUT, MAINTENANCE_WINDOW
    }
}
