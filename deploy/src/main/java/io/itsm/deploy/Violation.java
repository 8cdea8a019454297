package io.itsm.deploy;

/**
 * One finding of the deploy check: which rule, on which object ({@code Kind/name}) and what is wrong.
 */
public record Violation(String rule, String subject, String message) {

    @Override
    public String toString() {
        return rule + " " + subject + ": " + message;
    }
}
