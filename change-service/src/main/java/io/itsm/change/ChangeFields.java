package io.itsm.change;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** The fields of a change request that its requester and implementers edit (everything else is derived or set by transitions). */
public record ChangeFields(String shortDescription, String description, String justification, String implementationPlan,
                           String backoutPlan, String testPlan, Set<UUID> configurationItemIds, Instant plannedStart,
                           Instant plannedEnd, String assignmentGroup, String assignee) {

    public ChangeFields {
        configurationItemIds = configurationItemIds == null ? Set.of() : Set.copyOf(configurationItemIds);
    }
}
