package io.itsm.gateway.routing;

import java.net.URI;

import io.itsm.gateway.config.GatewayConfig;

/**
 * The services behind the gateway: the name clients see in errors and health, the API prefix routed to
 * each, and the short name of its API document under {@code /openapi/}.
 */
public enum Upstream {

    INCIDENT("incident-service", "/api/incidents", "incident"),
    CHANGE("change-service", "/api/changes", "change"),
    CMDB("cmdb-service", "/api/cmdb", "cmdb");

    private final String serviceName;
    private final String apiPrefix;
    private final String docsName;

    Upstream(String serviceName, String apiPrefix, String docsName) {
        this.serviceName = serviceName;
        this.apiPrefix = apiPrefix;
        this.docsName = docsName;
    }

    /** The service's name, e.g. {@code incident-service}. */
    public String serviceName() {
        return serviceName;
    }

    /** The path prefix routed to this service, e.g. {@code /api/incidents}. */
    public String apiPrefix() {
        return apiPrefix;
    }

    /** The name of the service's OpenAPI document under {@code /openapi/}, e.g. {@code incident}. */
    public String docsName() {
        return docsName;
    }

    /** The upstream whose API prefix {@code path} is or lies under, or {@code null}. */
    public static Upstream forPath(String path) {
        for (Upstream upstream : values()) {
            if (path.equals(upstream.apiPrefix) || path.startsWith(upstream.apiPrefix + "/")) {
                return upstream;
            }
        }
        return null;
    }

    /** The configured base URL of this service. */
    public URI baseUrl(GatewayConfig config) {
        return switch (this) {
            case INCIDENT -> config.upstreams().incident();
            case CHANGE -> config.upstreams().change();
            case CMDB -> config.upstreams().cmdb();
        };
    }
}
