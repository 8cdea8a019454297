package io.itsm.gateway.routing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.itsm.gateway.config.GatewayConfig;
import io.vertx.core.http.HttpClient;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyInterceptor;

/**
 * Builds the Vert.x reverse proxies that forward to an upstream: same method, path, query, headers and
 * streamed body, with forwarded-for headers and a 503 problem when the upstream cannot be reached.
 */
@ApplicationScoped
public class UpstreamProxies {

    @Inject
    HttpClient client;

    @Inject
    GatewayConfig config;

    /** The address the given upstream is configured at. */
    public UpstreamAddress address(Upstream upstream) {
        return UpstreamAddress.of(upstream.serviceName(), upstream.baseUrl(config));
    }

    /**
     * A proxy to {@code upstream}; {@code extra} interceptors run after the standard ones, closest to the
     * upstream (e.g. to rewrite the path).
     */
    public HttpProxy proxyTo(Upstream upstream, ProxyInterceptor... extra) {
        UpstreamAddress address = address(upstream);
        long connectTimeout = config.connectTimeout().toMillis();
        long requestTimeout = config.requestTimeout().toMillis();
        HttpProxy proxy = HttpProxy.reverseProxy(client)
                .origin(new UpstreamOrigin(address, connectTimeout, requestTimeout))
                .addInterceptor(new UnavailableUpstream(address, requestTimeout))
                .addInterceptor(new UpstreamRequestHeaders());
        for (ProxyInterceptor interceptor : extra) {
            proxy.addInterceptor(interceptor);
        }
        return proxy;
    }
}
