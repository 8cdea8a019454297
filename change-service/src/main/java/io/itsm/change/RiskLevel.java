package io.itsm.change;

/** The risk of a change, from its score (see {@code RiskAssessor}); it decides which approvals a change needs. */
public enum RiskLevel {
    LOW, MODERATE, HIGH, VERY_HIGH
}
