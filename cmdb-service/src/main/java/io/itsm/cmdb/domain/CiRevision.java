package io.itsm.cmdb.domain;

import java.time.Instant;
import java.util.List;

import io.itsm.events.FieldChange;

/**
 * A past version of a CI and the change that ended it: {@code state} held from {@code validFrom} until {@code validTo},
 * when {@code actor} (through {@code source}) made the change {@code eventType} with {@code changes}. The current version
 * is the CI document itself; together they answer what the CI was at any instant.
 *
 * @param id the id of the event of the change that ended this version (unique; makes projecting it idempotent)
 */
public record CiRevision(String id, String ciId, ConfigurationItem state, Instant validFrom, Instant validTo, String actor,
                         String source, String eventType, List<FieldChange> changes) {

    /** Whether this was the CI's version at {@code instant}. */
    public boolean currentAt(Instant instant) {
        return !validFrom.isAfter(instant) && validTo.isAfter(instant);
    }
}
