package io.itsm.gateway.routing;

import java.net.URI;
import java.util.List;

import io.vertx.core.Future;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;

/**
 * Rewrites a {@code Location} or {@code Content-Location} that points at the upstream's own address
 * ({@code http://incident-service:8081/api/incidents/42}) to the address the client called the gateway at. Relative
 * ones and ones built from the forwarded {@code Host} (what the services do) are left as they are.
 */
public final class PublicLocation implements ProxyInterceptor {

    private static final List<String> HEADERS = List.of("Location", "Content-Location");

    private final String upstreamOrigin;

    public PublicLocation(UpstreamAddress upstream) {
        this.upstreamOrigin = (upstream.ssl() ? "https://" : "http://") + upstream.host() + ":" + upstream.port();
    }

    @Override
    public Future<Void> handleProxyResponse(ProxyContext context) {
        for (String header : HEADERS) {
            String value = context.response().headers().get(header);
            if (value != null && (value.equals(upstreamOrigin) || value.startsWith(upstreamOrigin + "/"))) {
                URI called = URI.create(context.request().proxiedRequest().absoluteURI());
                String publicOrigin = called.getScheme() + "://" + called.getRawAuthority();
                context.response().headers().set(header, publicOrigin + value.substring(upstreamOrigin.length()));
            }
        }
        return context.sendResponse();
    }
}
