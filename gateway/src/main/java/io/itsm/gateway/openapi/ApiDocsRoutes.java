package io.itsm.gateway.openapi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.itsm.gateway.routing.Upstream;
import io.itsm.gateway.routing.UpstreamProxies;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.httpproxy.HttpProxy;

/**
 * Serves each service's OpenAPI document through the gateway at {@code GET /openapi/incident},
 * {@code /openapi/change} and {@code /openapi/cmdb}; Swagger UI at {@code /docs} lists the three.
 */
@ApplicationScoped
public class ApiDocsRoutes {

    /** Path under which the service documents are served, followed by {@link Upstream#docsName()}. */
    public static final String BASE_PATH = "/openapi/";

    @Inject
    UpstreamProxies proxies;

    void register(@Observes Router router) {
        for (Upstream upstream : Upstream.values()) {
            HttpProxy proxy = proxies.proxyTo(upstream, new OpenApiDocumentPath());
            router.route(BASE_PATH + upstream.docsName())
                    .method(HttpMethod.GET)
                    .method(HttpMethod.HEAD)
                    .handler(rc -> proxy.handle(rc.request()));
        }
    }
}
