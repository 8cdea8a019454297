package io.itsm.rest;

/**
 * The suite's roles (DESIGN.md), as constants for {@code @RolesAllowed}. Every endpoint names the roles it
 * allows; endpoints that name none are denied ({@code quarkus.security.jaxrs.deny-unannotated-endpoints}).
 */
public final class Roles {

    public static final String READER = "itsm-reader";
    public static final String AGENT = "itsm-agent";
    public static final String CHANGE_MANAGER = "itsm-change-manager";
    public static final String CAB = "itsm-cab";
    public static final String CMDB_ADMIN = "itsm-cmdb-admin";
    public static final String ADMIN = "itsm-admin";

    /** Every role of the suite, in the order above. */
    public static final java.util.List<String> ALL = java.util.List.of(READER, AGENT, CHANGE_MANAGER, CAB, CMDB_ADMIN, ADMIN);

    private Roles() {
    }
}
