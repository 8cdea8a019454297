package io.itsm.change;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which approvals a change needs before it may be scheduled: none for a pre-approved STANDARD change, the
 * emergency CAB for an EMERGENCY change, and for a NORMAL change the list configured for its risk level.
 */
public final class ApprovalPolicy {

    private final Map<RiskLevel, List<ApprovalRequirement>> normal;
    private final List<ApprovalRequirement> emergency;

    public ApprovalPolicy(Map<RiskLevel, List<ApprovalRequirement>> normal, List<ApprovalRequirement> emergency) {
        this.normal = new EnumMap<>(normal);
        for (RiskLevel level : RiskLevel.values()) {
            if (this.normal.getOrDefault(level, List.of()).isEmpty()) {
                throw new IllegalArgumentException("the approval policy names no approvers for " + level + " risk");
            }
        }
        this.emergency = List.copyOf(emergency);
    }

    public List<ApprovalRequirement> requiredFor(ChangeType type, RiskLevel risk) {
        return switch (type) {
            case STANDARD -> List.of();
            case EMERGENCY -> emergency;
            case NORMAL -> normal.get(risk == null ? RiskLevel.VERY_HIGH : risk);
        };
    }

    public List<ApprovalRequirement> requiredFor(ChangeRequest change) {
        return requiredFor(change.type, change.risk());
    }
}
