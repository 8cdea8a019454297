package io.itsm.gateway.routing;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.itsm.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
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

    @Inject
    UpstreamCircuitBreakers breakers;

    @Inject
    Vertx vertx;

    /** The address the given upstream is configured at. */
    public UpstreamAddress address(Upstream upstream) {
        return UpstreamAddress.of(upstream.serviceName(), upstream.baseUrl(config));
    }

    /** The route's own request timeout ({@code itsm.gateway.routes.<name>.request-timeout}), else the global one. */
    public Duration requestTimeout(Upstream upstream) {
        GatewayConfig.Route route = config.routes().get(upstream.docsName());
        return route != null && route.requestTimeout().isPresent() ? route.requestTimeout().get() : config.requestTimeout();
    }

    /**
     * A proxy to {@code upstream}; {@code extra} interceptors run after the standard ones, closest to the
     * upstream (e.g. to rewrite the path).
     */
    public HttpProxy proxyTo(Upstream upstream, ProxyInterceptor... extra) {
        UpstreamAddress address = address(upstream);
        long connectTimeout = config.connectTimeout().toMillis();
        long requestTimeout = requestTimeout(upstream).toMillis();
        HttpProxy proxy = HttpProxy.reverseProxy(client)
                .origin(new UpstreamOrigin(address, connectTimeout, requestTimeout, config.connectRetries(), vertx))
                .addInterceptor(new UnavailableUpstream(address, requestTimeout, breakers.of(upstream)))
                .addInterceptor(new PublicLocation(address))
                .addInterceptor(new UpstreamRequestHeaders());
        for (ProxyInterceptor interceptor : extra) {
            proxy.addInterceptor(interceptor);
        }
        return proxy;
    }
}
