package io.itsm.cmdb.domain;

import java.util.List;

import io.itsm.events.FieldChange;

/** The data of every {@code itsm.ci.*} event: the CI's full new state and what changed. */
public record CiEventData(ConfigurationItem ci, List<FieldChange> changes) {
}
