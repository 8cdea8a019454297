package io.itsm.gateway.config;

import java.net.URI;
import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The gateway's settings under {@code itsm.gateway.*}: where each upstream service lives and how long the
 * gateway waits for it. Every key can be overridden by its environment variable
 * ({@code ITSM_GATEWAY_UPSTREAMS_INCIDENT}, {@code ITSM_GATEWAY_CONNECT_TIMEOUT}, ...).
 */
@ConfigMapping(prefix = "itsm.gateway")
public interface GatewayConfig {

    /** Base URLs of the services behind the gateway. */
    Upstreams upstreams();

    /** How long to wait for a TCP connection to an upstream before answering 503. */
    @WithDefault("2s")
    Duration connectTimeout();

    /** Longest silence from an upstream (no response data) before the call is abandoned with 503. */
    @WithDefault("30s")
    Duration requestTimeout();

    /** How long a readiness probe of one upstream may take before that upstream counts as DOWN. */
    @WithDefault("3s")
    Duration healthTimeout();

    /** Most pooled HTTP/1.1 connections the gateway keeps open to one upstream. */
    @WithDefault("64")
    int maxConnectionsPerUpstream();

    /** Base URLs ({@code http://host:port} or {@code https://...}) of the upstream services. */
    interface Upstreams {

        @WithDefault("http://127.0.0.1:8081")
        URI incident();

        @WithDefault("http://127.0.0.1:8082")
        URI change();

        @WithDefault("http://127.0.0.1:8083")
        URI cmdb();
    }
}
