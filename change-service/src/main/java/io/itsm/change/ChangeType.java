package io.itsm.change;

/** The ITIL change types. */
public enum ChangeType {
    STANDARD, NORMAL, EMERGENCY
}
