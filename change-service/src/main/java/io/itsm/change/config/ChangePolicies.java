package io.itsm.change.config;

import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.itsm.change.ApprovalPolicy;
import io.itsm.change.ApprovalRequirement;
import io.itsm.change.RiskLevel;
import io.itsm.change.risk.RiskAssessor;

/** Builds the domain's policies (approvals, risk) and its clock from configuration. */
@ApplicationScoped
public class ChangePolicies {

    @Produces
    @Singleton
    ApprovalPolicy approvalPolicy(ChangeConfig config) {
        ChangeConfig.Approvals approvals = config.approvals();
        Map<RiskLevel, List<ApprovalRequirement>> normal = new EnumMap<>(RiskLevel.class);
        normal.put(RiskLevel.LOW, parse(approvals.low()));
        normal.put(RiskLevel.MODERATE, parse(approvals.moderate()));
        normal.put(RiskLevel.HIGH, parse(approvals.high()));
        normal.put(RiskLevel.VERY_HIGH, parse(approvals.veryHigh()));
        return new ApprovalPolicy(normal, parse(approvals.emergency()));
    }

    @Produces
    @Singleton
    RiskAssessor riskAssessor(ChangeConfig config) {
        ChangeConfig.Risk risk = config.risk();
        if (!(risk.moderateFrom() < risk.highFrom() && risk.highFrom() < risk.veryHighFrom())) {
            throw new IllegalArgumentException("itsm.change.risk: moderate-from < high-from < very-high-from must hold");
        }
        return new RiskAssessor(risk);
    }

    /** The service's time; tests replace it with a clock they move. */
    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    private static List<ApprovalRequirement> parse(List<String> texts) {
        return texts.stream().map(ApprovalRequirement::parse).toList();
    }
}
