package io.itsm.incident;

import io.itsm.rest.ProblemException;

/** A CLOSED or CANCELED incident is a record: its fields no longer change. → 409. */
public class IncidentFinalException extends ProblemException {

    public IncidentFinalException(String number, IncidentState state) {
        super(409, "incident-final", "Incident is final",
                "incident " + number + " is " + state + ", which is final: it can no longer be changed");
    }
}
