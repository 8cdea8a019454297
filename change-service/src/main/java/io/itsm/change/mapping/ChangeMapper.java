package io.itsm.change.mapping;

import io.itsm.change.ChangeRequest;

/** Maps the change request aggregate to its API and event representation. */
public final class ChangeMapper {

    private ChangeMapper() {
    }

    public static ChangeView toView(ChangeRequest c) {
        return new ChangeView(c.id, c.number, c.type, c.shortDescription, c.description, c.requestedBy,
                c.plannedStart, c.plannedEnd, c.state, c.createdAt, c.updatedAt, c.version);
    }
}
