package io.itsm.incident;

import java.util.Set;

/** Who asks for a change: the user name history records, and the roles that decide what they may do. */
public record Actor(String name, Set<String> roles) {

    public static final String ADMIN = "itsm-admin";

    public static final Actor SYSTEM = new Actor("system", Set.of(ADMIN));

    public boolean isAdmin() {
        return roles.contains(ADMIN);
    }
}
