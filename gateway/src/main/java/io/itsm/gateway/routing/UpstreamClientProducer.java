package io.itsm.gateway.routing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import io.itsm.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;

/**
 * Makes the one Vert.x HTTP client, on Quarkus's Vert.x instance, that the gateway uses for every call to
 * an upstream (proxied requests, API documents and readiness probes); it pools connections per upstream.
 */
@ApplicationScoped
public class UpstreamClientProducer {

    @Produces
    @ApplicationScoped
    HttpClient upstreamClient(Vertx vertx, GatewayConfig config) {
        HttpClientOptions options = new HttpClientOptions()
                .setName("itsm-gateway-upstreams")
                .setConnectTimeout(Math.toIntExact(config.connectTimeout().toMillis()))
                .setMaxPoolSize(config.maxConnectionsPerUpstream())
                .setKeepAlive(true)
                .setDecompressionSupported(false)
                .setVerifyHost(true);
        return vertx.createHttpClient(options);
    }

    void close(@Disposes HttpClient client) {
        client.close();
    }
}
