package io.itsm.rest.security;

import java.util.Set;

import io.itsm.rest.Roles;

/** Who asks for a change: the user name that history records, and the suite's roles that decide what they may do. */
public record Actor(String name, Set<String> roles) {

    /** The service itself, e.g. its scheduler closing resolved incidents. */
    public static final Actor SYSTEM = new Actor("system", Set.of(Roles.ADMIN));

    public Actor {
        roles = Set.copyOf(roles);
    }

    public boolean isAdmin() {
        return roles.contains(Roles.ADMIN);
    }

    public boolean hasAnyRole(java.util.Collection<String> wanted) {
        for (String role : wanted) {
            if (roles.contains(role)) {
                return true;
            }
        }
        return false;
    }
}
