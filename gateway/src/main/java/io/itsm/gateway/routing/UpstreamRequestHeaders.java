package io.itsm.gateway.routing;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;

/**
 * Adjusts the headers of the request sent upstream: keeps the client's {@code Host} (so links a service
 * builds point at the gateway), adds {@code X-Forwarded-For}, {@code -Proto} and {@code -Host}, and drops
 * {@code Expect: 100-continue}, which the gateway has already answered itself.
 */
public final class UpstreamRequestHeaders implements ProxyInterceptor {

    static final String FORWARDED_FOR = "X-Forwarded-For";
    static final String FORWARDED_PROTO = "X-Forwarded-Proto";
    static final String FORWARDED_HOST = "X-Forwarded-Host";

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        ProxyRequest request = context.request();
        HttpServerRequest client = request.proxiedRequest();
        HostAndPort authority = client.authority();
        if (authority != null) {
            request.setAuthority(authority);
            request.headers().set(FORWARDED_HOST, authority.toString());
        }
        request.headers().set(FORWARDED_PROTO, client.scheme() == null ? "http" : client.scheme());
        SocketAddress remote = client.remoteAddress();
        if (remote != null && remote.hostAddress() != null) {
            String earlier = request.headers().get(FORWARDED_FOR);
            request.headers().set(FORWARDED_FOR,
                    earlier == null || earlier.isBlank() ? remote.hostAddress() : earlier + ", " + remote.hostAddress());
        }
        // quarkus.http.handle-100-continue-automatically=true: the client already got its 100 Continue.
        request.headers().remove(HttpHeaders.EXPECT);
        return context.sendRequest();
    }
}
