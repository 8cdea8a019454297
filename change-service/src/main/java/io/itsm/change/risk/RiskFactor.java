package io.itsm.change.risk;

/** One contribution to a change's risk score, with the evidence for it. */
public record RiskFactor(String name, int weight, String evidence) {
}
