package io.itsm.change;

/** How a change ended; UNSUCCESSFUL needs a post-implementation review before the change closes. */
public enum CloseCode {
    SUCCESSFUL, SUCCESSFUL_WITH_ISSUES, UNSUCCESSFUL
}
