package io.itsm.change.service;

import java.util.List;

import io.itsm.change.mapping.ChangeView;
import io.itsm.events.FieldChange;

/** The data of every change event: the change request's full new state and what changed. */
public record ChangeEventData(ChangeView change, List<FieldChange> changes) {
}
