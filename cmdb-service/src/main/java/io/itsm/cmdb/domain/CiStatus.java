package io.itsm.cmdb.domain;

/** Where a configuration item is in its life. */
public enum CiStatus {
    PLANNED,
    INSTALLED,
    IN_MAINTENANCE,
    RETIRED
}
