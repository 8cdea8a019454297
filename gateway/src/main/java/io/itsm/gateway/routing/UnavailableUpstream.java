package io.itsm.gateway.routing;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import io.itsm.gateway.problem.Problem;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;

/**
 * Sends the call through the upstream's circuit breaker, and turns a failed call (refused, connect timeout, no
 * answer in time, connection lost, or the breaker open) into a 503 {@code application/problem+json} that names the
 * service, instead of the proxy's bare 502.
 */
public final class UnavailableUpstream implements ProxyInterceptor {

    private static final Logger LOG = Logger.getLogger(UnavailableUpstream.class);

    private final UpstreamAddress upstream;
    private final long requestTimeoutMillis;
    private final CircuitBreaker breaker;

    public UnavailableUpstream(UpstreamAddress upstream, long requestTimeoutMillis, CircuitBreaker breaker) {
        this.upstream = upstream;
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.breaker = breaker;
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        Future<ProxyResponse> sent = breaker.execute(promise -> context.sendRequest().onComplete(promise));
        return sent.recover(failure -> {
            String path = context.request().proxiedRequest().path();
            LOG.warnf("%s %s (request id %s): %s at %s failed: %s", context.request().getMethod(), path,
                    context.request().headers().get(RequestIds.HEADER), upstream.service(), upstream, failure);
            Problem problem = Problem.upstreamUnavailable(upstream.service(), reason(failure), path);
            ProxyResponse response = context.request().release().response()
                    .setStatusCode(problem.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .setBody(Body.body(problem.toBuffer()));
            return Future.succeededFuture(response);
        });
    }

    private String reason(Throwable failure) {
        if (failure instanceof OpenCircuitException) {
            return "it failed " + breaker.failureCount() + " times in a row, so it is not asked for a while";
        }
        if (failure instanceof ConnectTimeoutException) {
            return "no connection within the connect timeout";
        }
        if (failure instanceof ConnectException) {
            return "connection refused";
        }
        if (failure instanceof TimeoutException) {
            return "no answer within " + requestTimeoutMillis + " ms";
        }
        return "the connection failed";
    }
}
