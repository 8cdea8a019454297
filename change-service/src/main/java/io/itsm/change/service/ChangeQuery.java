package io.itsm.change.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.itsm.change.ChangeState;
import io.itsm.change.ChangeType;
import io.itsm.change.RiskLevel;

/** The filters of a change list; {@code null} or empty means "any". */
public record ChangeQuery(List<String> numbers, List<ChangeState> states, List<ChangeType> types, List<RiskLevel> risks, String assignmentGroup,
                          String assignee, String requestedBy, UUID configurationItemId, Instant plannedStartAfter,
                          Instant plannedStartBefore, String text) {
}
