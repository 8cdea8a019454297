package io.itsm.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

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

    /** Per-route settings, by route name ({@code incident}, {@code change}, {@code cmdb}); unset ones use the global ones. */
    Map<String, Route> routes();

    /** How often a GET, HEAD or OPTIONS is tried again when the upstream refuses or does not accept the connection. */
    @WithDefault("2")
    int connectRetries();

    /** The circuit breaker of each upstream. */
    CircuitBreaker circuitBreaker();

    /** One route's own settings. */
    interface Route {

        /** This route's request timeout (e.g. longer for big CMDB imports); default: {@code request-timeout}. */
        Optional<Duration> requestTimeout();
    }

    /**
     * After {@code failures} calls in a row that could not reach an upstream (refused, connect timeout, no answer),
     * the gateway answers 503 at once for {@code open-for}, then lets one call through to see if it is back.
     */
    interface CircuitBreaker {

        @WithDefault("5")
        int failures();

        @WithDefault("10s")
        Duration openFor();
    }

    /** How long a readiness probe of one upstream may take before that upstream counts as DOWN. */
    @WithDefault("3s")
    Duration healthTimeout();

    /** Most pooled HTTP/1.1 connections the gateway keeps open to one upstream. */
    @WithDefault("64")
    int maxConnectionsPerUpstream();

    /** How long the services' API documents are reused before the merged {@code /openapi} asks them again. */
    @WithDefault("30s")
    Duration docsCacheTtl();

    /** How long {@code /api/cmdb/cis/{id}/overview} waits for each service before leaving its part out. */
    @WithDefault("5s")
    Duration overviewTimeout();

    /** Per-client request limits on {@code /api/**}. */
    RateLimit rateLimit();

    /**
     * Longest request URI (path and query) the gateway forwards; longer ones get a 414 problem. Keep it below what the
     * services' HTTP servers accept (their request line is at most 4096 bytes by default).
     */
    @WithDefault("4000")
    int maxUriLength();

    /**
     * Most bytes of request headers (names and values) the gateway forwards; more get a 431 problem naming the
     * largest. Keep it below what the services accept ({@code itsm.http.max-header-size}, 24 KiB): the gateway adds
     * a few headers of its own.
     */
    @WithDefault("20480")
    int maxHeaderSize();

    /** Verified bearer tokens kept in memory, so a token is checked once, not on every request. */
    TokenCache tokenCache();

    /** Headers set on every response the gateway sends, proxied ones included (name to value; empty value = not set). */
    Map<String, String> responseHeaders();

    /** {@code Content-Security-Policy} of the Swagger UI pages under {@code /docs} (which run scripts of their own). */
    @WithDefault("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'")
    String docsContentSecurityPolicy();

    /**
     * A token bucket per client (the token's principal: {@code upn}, {@code preferred_username} or {@code sub}):
     * {@code capacity} requests at once, refilled at {@code refill-per-second}.
     */
    interface RateLimit {

        @WithDefault("true")
        boolean enabled();

        /** The default limit of every client. */
        @WithParentName
        Limit defaults();

        /** Limits of named clients (e.g. a discovery import account), overriding the default. */
        Map<String, Limit> clients();

        /** How many clients' buckets are kept in memory (least recently seen forgotten first). */
        @WithDefault("100000")
        int maxClients();
    }

    interface TokenCache {

        /** Off: every request's token is verified again. */
        @WithDefault("true")
        boolean enabled();

        /** Longest time a verified token is trusted without a new check (never past its {@code exp}). */
        @WithDefault("60s")
        Duration maxAge();

        /** Tokens remembered at most (least recently used forgotten first). */
        @WithDefault("10000")
        int maxEntries();
    }

    /** A token bucket's size and refill rate. */
    interface Limit {

        /** Requests a client may make in a burst. */
        @WithDefault("200")
        int capacity();

        /** Requests per second added back to the bucket, up to {@link #capacity()}. */
        @WithDefault("100")
        int refillPerSecond();
    }

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
