package io.itsm.incident.history;

/** Who may read a note: agents only (a work note) or the caller too (a comment). */
public enum NoteVisibility { INTERNAL, CUSTOMER }
