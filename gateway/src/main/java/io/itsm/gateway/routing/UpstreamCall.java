package io.itsm.gateway.routing;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.Json;

/**
 * One GET of a JSON resource from a service (on behalf of a caller: its bearer token and request id, when given)
 * that never fails: a service that is down, slow, or answers something unexpected gives a {@link Result} saying so.
 * The gateway's own calls go through it: the overview's parts, the services' API documents, their readiness.
 */
public final class UpstreamCall {

    /** What a service answered: its status and JSON body, or why there is none ({@code status} 0). */
    public record Result(Upstream upstream, int status, Object body, String problem) {

        /** 200 with a JSON body. */
        public boolean ok() {
            return status == 200 && body != null;
        }
    }

    private UpstreamCall() {
    }

    /** {@code authorization} and {@code requestId} may be {@code null}. */
    public static Future<Result> get(HttpClient client, Upstream upstream, UpstreamAddress address, String uri,
                              String authorization, String requestId, Duration timeout) {
        return client.request(address.get(uri, timeout.toMillis()))
                .compose(request -> {
                    request.putHeader("Accept", "application/json");
                    if (authorization != null) {
                        request.putHeader("Authorization", authorization);
                    }
                    if (requestId != null) {
                        request.putHeader(RequestIds.HEADER, requestId);
                    }
                    return request.send();
                })
                .compose(response -> response.body().map(body -> {
                    Object json;
                    try {
                        json = body.length() == 0 ? null : Json.decodeValue(body);
                    } catch (RuntimeException notJson) {
                        return new Result(upstream, response.statusCode(), null, "answered something that is not JSON");
                    }
                    return new Result(upstream, response.statusCode(), json, null);
                }))
                .otherwise(failure -> new Result(upstream, 0, null, reason(failure, timeout)));
    }

    private static String reason(Throwable failure, Duration timeout) {
        if (failure instanceof ConnectTimeoutException) {
            return "no connection within the connect timeout";
        }
        if (failure instanceof ConnectException) {
            return "connection refused";
        }
        if (failure instanceof TimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        if (failure instanceof HttpClosedException) {
            return "the connection was closed";
        }
        return "the call failed: " + failure.getClass().getSimpleName();
    }
}
