package io.itsm.gateway.routing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.vertx.ext.web.Router;
import io.vertx.httpproxy.HttpProxy;

/**
 * Mounts the API routes on Quarkus's router: {@code /api/incidents[/**]}, {@code /api/changes[/**]} and
 * {@code /api/cmdb[/**]} each go, unchanged, to their service through a reverse proxy.
 */
@ApplicationScoped
public class ApiRoutes {

    private static final Logger LOG = Logger.getLogger(ApiRoutes.class);

    @Inject
    UpstreamProxies proxies;

    void register(@Observes Router router) {
        for (Upstream upstream : Upstream.values()) {
            HttpProxy proxy = proxies.proxyTo(upstream);
            // Two routes, so that "/api/incidentsX" is not routed but "/api/incidents" and its subpaths are.
            router.route(upstream.apiPrefix()).handler(rc -> proxy.handle(rc.request()));
            router.route(upstream.apiPrefix() + "/*").handler(rc -> proxy.handle(rc.request()));
            LOG.infof("Routing %s/** to %s at %s", upstream.apiPrefix(), upstream.serviceName(),
                    proxies.address(upstream));
        }
    }
}
