package io.itsm.change;

/**
 * What a transition may carry besides the target state: the close code and notes (CLOSED), the post-implementation
 * review (needed to close an UNSUCCESSFUL change), and a justification for scheduling despite conflicts.
 */
public record TransitionDetails(CloseCode closeCode, String closeNotes, String reviewNotes, String conflictOverride) {

    public static final TransitionDetails NONE = new TransitionDetails(null, null, null, null);
}
