package io.itsm.gateway.security;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start with a CORS configuration that lets any origin send credentials: {@code *} (or a catch-all
 * pattern) among {@code quarkus.http.cors.origins} together with
 * {@code quarkus.http.cors.access-control-allow-credentials=true}. The suite's API uses bearer tokens, which need
 * no CORS credentials, so the default is credentials off and a list of known origins.
 */
@ApplicationScoped
public class CorsGuard {

    @ConfigProperty(name = "quarkus.http.cors.origins")
    Optional<List<String>> origins;

    @ConfigProperty(name = "quarkus.http.cors.access-control-allow-credentials")
    Optional<Boolean> allowCredentials;

    void check(@Observes StartupEvent start) {
        check(origins.orElse(List.of()), allowCredentials.orElse(false));
    }

    static void check(List<String> origins, boolean allowCredentials) {
        boolean anyOrigin = origins.stream().map(String::trim)
                .anyMatch(o -> o.equals("*") || o.equals("/.*/") || o.equals("/.+/"));
        if (anyOrigin && allowCredentials) {
            throw new IllegalStateException("quarkus.http.cors.origins allows any origin while"
                    + " quarkus.http.cors.access-control-allow-credentials is true: list the front ends' origins"
                    + " (QUARKUS_HTTP_CORS_ORIGINS) or turn credentials off");
        }
    }
}
