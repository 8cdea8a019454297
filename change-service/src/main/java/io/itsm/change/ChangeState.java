package io.itsm.change;

/** The states of a change request. */
public enum ChangeState {
    NEW, ASSESS, AUTHORIZE, SCHEDULED, IMPLEMENT, REVIEW, CLOSED, CANCELED
}
