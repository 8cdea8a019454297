package io.itsm.gateway.routing;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.httpproxy.OriginRequestProvider;
import io.vertx.httpproxy.ProxyContext;

/**
 * Opens the proxy's request to one upstream with the connect timeout, and starts the request timeout once
 * the client's body has been received, so a dead or silent upstream fails fast while a slow upload does not.
 */
public final class UpstreamOrigin implements OriginRequestProvider {

    private final UpstreamAddress address;
    private final long connectTimeoutMillis;
    private final long requestTimeoutMillis;

    public UpstreamOrigin(UpstreamAddress address, long connectTimeoutMillis, long requestTimeoutMillis) {
        this.address = address;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.requestTimeoutMillis = requestTimeoutMillis;
    }

    @Override
    public Future<HttpClientRequest> create(ProxyContext proxyContext) {
        HttpServerRequest incoming = proxyContext.request().proxiedRequest();
        return proxyContext.client().request(address.requestOptions(connectTimeoutMillis))
                .onSuccess(upstream -> startRequestTimeout(incoming, upstream));
    }

    /** From the end of the upload on, the upstream may stay silent for at most the request timeout. */
    private void startRequestTimeout(HttpServerRequest incoming, HttpClientRequest upstream) {
        if (incoming.isEnded()) {
            upstream.idleTimeout(requestTimeoutMillis);
        } else {
            incoming.end().onSuccess(ended -> upstream.idleTimeout(requestTimeoutMillis));
        }
    }
}
