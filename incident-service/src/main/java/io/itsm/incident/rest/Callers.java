package io.itsm.incident.rest;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.ws.rs.core.SecurityContext;

import io.itsm.incident.Actor;

/** Who calls, as the domain needs it: the authenticated user's name and which of the suite's roles they hold. */
final class Callers {

    static final List<String> ROLES = List.of("itsm-reader", "itsm-agent", "itsm-change-manager", "itsm-cab",
            "itsm-cmdb-admin", "itsm-admin");

    private Callers() {
    }

    static Actor of(SecurityContext security) {
        if (security == null || security.getUserPrincipal() == null) {
            return new Actor("anonymous", Set.of());
        }
        Set<String> roles = new LinkedHashSet<>();
        for (String role : ROLES) {
            if (security.isUserInRole(role)) {
                roles.add(role);
            }
        }
        return new Actor(security.getUserPrincipal().getName(), roles);
    }
}
