package io.itsm.cmdb.domain;

/** The environment a configuration item serves. */
public enum Environment {
    PRODUCTION,
    STAGING,
    TEST,
    DEVELOPMENT
}
