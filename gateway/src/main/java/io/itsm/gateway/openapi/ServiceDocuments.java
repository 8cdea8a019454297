package io.itsm.gateway.openapi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.itsm.gateway.config.GatewayConfig;
import io.itsm.gateway.routing.Upstream;
import io.itsm.gateway.routing.UpstreamCall;
import io.itsm.gateway.routing.UpstreamProxies;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;

/**
 * The services' own OpenAPI documents ({@code /q/openapi?format=json}), fetched in parallel and kept for
 * {@code itsm.gateway.docs-cache-ttl}. When a service cannot be asked, its last good document is used; a service
 * that never answered makes the whole request fail, naming it.
 */
@ApplicationScoped
public class ServiceDocuments {

    private static final Logger LOG = Logger.getLogger(ServiceDocuments.class);

    /** A service that has never served its document. */
    public static final class Unavailable extends RuntimeException {
        private final Upstream upstream;

        Unavailable(Upstream upstream, String why) {
            super(upstream.serviceName() + " did not serve its API document: " + why);
            this.upstream = upstream;
        }

        public Upstream upstream() {
            return upstream;
        }
    }

    private record Cached(JsonObject document, long fetchedAtNanos) {
    }

    @Inject
    HttpClient client;

    @Inject
    UpstreamProxies proxies;

    @Inject
    GatewayConfig config;

    private final Map<Upstream, Cached> cache = new EnumMap<>(Upstream.class);

    /** Every service's document, in {@link Upstream} order. */
    public Future<List<ApiDocumentMerger.Source>> all() {
        List<Future<ApiDocumentMerger.Source>> fetches = new ArrayList<>();
        for (Upstream upstream : Upstream.values()) {
            fetches.add(one(upstream).map(document -> new ApiDocumentMerger.Source(upstream, document)));
        }
        return Future.all(fetches).map(all -> {
            List<ApiDocumentMerger.Source> sources = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                sources.add(all.resultAt(i));
            }
            return sources;
        });
    }

    private Future<JsonObject> one(Upstream upstream) {
        Cached cached;
        synchronized (cache) {
            cached = cache.get(upstream);
        }
        Duration ttl = config.docsCacheTtl();
        if (cached != null && System.nanoTime() - cached.fetchedAtNanos() < ttl.toNanos()) {
            return Future.succeededFuture(cached.document());
        }
        return UpstreamCall.get(client, upstream, proxies.address(upstream), OpenApiDocumentPath.UPSTREAM_DOCUMENT,
                        null, null, config.requestTimeout())
                .compose(result -> {
                    if (result.ok() && result.body() instanceof JsonObject document) {
                        synchronized (cache) {
                            cache.put(upstream, new Cached(document, System.nanoTime()));
                        }
                        return Future.succeededFuture(document);
                    }
                    String why = result.problem() != null ? result.problem() : "it answered HTTP " + result.status();
                    if (cached != null) {
                        LOG.warnf("%s did not serve its API document (%s); using the one from %d s ago",
                                upstream.serviceName(), why,
                                Duration.ofNanos(System.nanoTime() - cached.fetchedAtNanos()).toSeconds());
                        return Future.succeededFuture(cached.document());
                    }
                    return Future.failedFuture(new Unavailable(upstream, why));
                });
    }
}
