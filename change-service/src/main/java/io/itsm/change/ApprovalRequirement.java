package io.itsm.change;

/** {@code count} approvals by holders of {@code role}, e.g. two of {@code itsm-cab}. */
public record ApprovalRequirement(String role, int count) {

    /** Reads {@code "itsm-cab:2"} (a missing count is 1). */
    public static ApprovalRequirement parse(String text) {
        String[] parts = text.strip().split(":");
        try {
            int count = parts.length > 1 ? Integer.parseInt(parts[1].strip()) : 1;
            if (parts.length > 2 || parts[0].isBlank() || count < 1) {
                throw new NumberFormatException();
            }
            return new ApprovalRequirement(parts[0].strip(), count);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("an approval requirement is role:count with count >= 1, e.g. itsm-cab:2, not '" + text + "'");
        }
    }
}
