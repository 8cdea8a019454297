package io.itsm.cmdb.domain;

import java.util.List;

import io.itsm.events.FieldChange;

/**
 * The data of every {@code itsm.ci.*} event: the CI's full new state, what changed, who changed it and through which
 * source ({@code api}, an import source such as {@code discovery}, or {@code change-service}).
 */
public record CiEventData(ConfigurationItem ci, List<FieldChange> changes, String actor, String source) {
}
