package io.itsm.gateway.security;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.itsm.gateway.config.GatewayConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Puts {@code itsm.gateway.response-headers} (nosniff, frame denial, referrer policy, a locked-down
 * {@code Content-Security-Policy}, HSTS) on every response, the services' and the gateway's own errors included;
 * Swagger UI under {@code /docs} gets {@code itsm.gateway.docs-content-security-policy} instead, as it runs scripts.
 * Set when the headers are written, so they win over whatever an upstream sent.
 */
@ApplicationScoped
public class SecurityHeaders {

    /** Right after the request id, before anything can answer. */
    static final int ORDER = Integer.MIN_VALUE + 15;

    private static final String CSP = "Content-Security-Policy";

    @Inject
    GatewayConfig config;

    void register(@Observes Router router) {
        Map<String, String> headers = Map.copyOf(config.responseHeaders());
        String docsPolicy = config.docsContentSecurityPolicy();
        router.route().order(ORDER).handler(rc -> {
            boolean docs = isDocs(rc);
            rc.addHeadersEndHandler(v -> {
                headers.forEach((name, value) -> rc.response().headers().set(name, value));
                if (docs) {
                    rc.response().headers().set(CSP, docsPolicy);
                }
            });
            rc.next();
        });
    }

    private static boolean isDocs(RoutingContext rc) {
        String path = rc.normalizedPath();
        return path.equals("/docs") || path.startsWith("/docs/");
    }
}
