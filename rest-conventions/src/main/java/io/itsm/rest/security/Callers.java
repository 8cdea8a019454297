package io.itsm.rest.security;

import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.ws.rs.core.SecurityContext;

import io.itsm.rest.Roles;

/** Who calls, as the domain needs it: the authenticated user's name and which of the suite's roles they hold. */
public final class Callers {

    private Callers() {
    }

    public static Actor of(SecurityContext security) {
        if (security == null || security.getUserPrincipal() == null) {
            return new Actor("anonymous", Set.of());
        }
        Set<String> roles = new LinkedHashSet<>();
        for (String role : Roles.ALL) {
            if (security.isUserInRole(role)) {
                roles.add(role);
            }
        }
        return new Actor(security.getUserPrincipal().getName(), roles);
    }
}
