package io.itsm.change.risk;

import java.util.List;

import io.itsm.change.RiskLevel;

/** A change's risk: the level, the score (0 … 100) it comes from, and the factors that make up the score. */
public record RiskAssessment(RiskLevel level, int score, List<RiskFactor> factors) {
}
