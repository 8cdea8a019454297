package io.itsm.change.mapping;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.itsm.change.ApprovalPolicy;
import io.itsm.change.ApprovalRequirement;
import io.itsm.change.ApprovalStatus;
import io.itsm.change.ChangeRequest;
import io.itsm.change.Conflict;
import io.itsm.change.risk.RiskFactor;

/** Maps the change request aggregate to its API and event representation, and its JSON-valued columns both ways. */
@ApplicationScoped
public class ChangeMapper {

    private static final TypeReference<List<RiskFactor>> FACTORS = new TypeReference<>() {
    };
    private static final TypeReference<List<Conflict>> CONFLICTS = new TypeReference<>() {
    };

    @Inject
    ObjectMapper objectMapper;

    @Inject
    ApprovalPolicy approvalPolicy;

    public ChangeView toView(ChangeRequest c) {
        List<ApprovalRequirement> required = approvalPolicy.requiredFor(c);
        ApprovalStatus status = c.approvalStatus(required);
        ChangeView.ApprovalsView approvalStatus = new ChangeView.ApprovalsView(c.approvalRound(),
                required.stream().map(r -> r.count() + " x " + r.role()).toList(), status.satisfied(), status.missing());
        List<ChangeView.ApprovalView> approvals = c.approvals().stream().map(a -> new ChangeView.ApprovalView(a.id, a.round,
                a.approver, a.role, a.decision.name(), a.comment, a.decidedAt)).toList();
        return new ChangeView(c.id, c.number, c.type, c.templateId(), c.shortDescription(), c.description(), c.justification(),
                c.implementationPlan(), c.backoutPlan(), c.testPlan(), List.copyOf(c.configurationItemIds()), c.plannedStart(),
                c.plannedEnd(), c.actualStart(), c.actualEnd(), c.state, c.risk(), c.riskScore(), read(c.riskFactors(), FACTORS),
                approvalStatus, approvals, c.rejectionReason(), conflicts(c), c.conflictOverride(), c.closeCode(), c.closeNotes(),
                c.reviewNotes(), c.requestedBy(), c.assignmentGroup(), c.assignee(), c.createdAt, c.updatedAt, c.version);
    }

    public List<Conflict> conflicts(ChangeRequest c) {
        return read(c.conflicts(), CONFLICTS);
    }

    public String json(Object value) {
        try {
            return objectMapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not serialisable: " + e.getMessage(), e);
        }
    }

    private <T> T read(String json, TypeReference<T> type) {
        try {
            return objectMapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not readable: " + e.getMessage(), e);
        }
    }
}
