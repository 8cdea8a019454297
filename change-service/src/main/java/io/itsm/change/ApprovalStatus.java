package io.itsm.change;

import java.util.List;

/** Whether the approvals a change's policy requires are complete in its current round, and if not, what is missing. */
public record ApprovalStatus(boolean satisfied, List<String> missing) {

    public static final ApprovalStatus NOT_NEEDED = new ApprovalStatus(true, List.of());
}
