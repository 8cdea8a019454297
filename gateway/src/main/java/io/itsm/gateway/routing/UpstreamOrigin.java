package io.itsm.gateway.routing;

import java.net.ConnectException;
import java.util.Set;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.httpproxy.OriginRequestProvider;
import io.vertx.httpproxy.ProxyContext;

/**
 * Opens the proxy's request to one upstream with the connect timeout, and starts the request timeout once
 * the client's body has been received, so a dead or silent upstream fails fast while a slow upload does not.
 * A safe method (GET, HEAD, OPTIONS) whose connection is refused or times out is tried again, up to
 * {@code connectRetries} times (50 ms, then 100 ms, ... apart): nothing has been sent then, so nothing can happen twice.
 */
public final class UpstreamOrigin implements OriginRequestProvider {

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final long FIRST_BACKOFF_MILLIS = 50;

    private final UpstreamAddress address;
    private final long connectTimeoutMillis;
    private final long requestTimeoutMillis;
    private final int connectRetries;
    private final Vertx vertx;

    public UpstreamOrigin(UpstreamAddress address, long connectTimeoutMillis, long requestTimeoutMillis,
                          int connectRetries, Vertx vertx) {
        this.address = address;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.connectRetries = connectRetries;
        this.vertx = vertx;
    }

    @Override
    public Future<HttpClientRequest> create(ProxyContext proxyContext) {
        HttpServerRequest incoming = proxyContext.request().proxiedRequest();
        int retries = SAFE.contains(incoming.method()) ? connectRetries : 0;
        return connect(proxyContext.client(), retries, FIRST_BACKOFF_MILLIS)
                .onSuccess(upstream -> startRequestTimeout(incoming, upstream));
    }

    private Future<HttpClientRequest> connect(HttpClient client, int retriesLeft, long backoffMillis) {
        Future<HttpClientRequest> attempt = client.request(address.requestOptions(connectTimeoutMillis));
        if (retriesLeft == 0) {
            return attempt;
        }
        return attempt.recover(failure -> {
            if (!(failure instanceof ConnectException || failure instanceof ConnectTimeoutException)) {
                return Future.failedFuture(failure);
            }
            Promise<HttpClientRequest> retried = Promise.promise();
            vertx.setTimer(backoffMillis, t -> connect(client, retriesLeft - 1, backoffMillis * 2).onComplete(retried));
            return retried.future();
        });
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
