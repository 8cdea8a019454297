package io.itsm.gateway.openapi;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;

/**
 * Points a proxied {@code GET /openapi/<service>} at the upstream's own document,
 * {@code /q/openapi?format=json}.
 */
final class OpenApiDocumentPath implements ProxyInterceptor {

    static final String UPSTREAM_DOCUMENT = "/q/openapi?format=json";

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        context.request().setMethod(HttpMethod.GET);
        context.request().setURI(UPSTREAM_DOCUMENT);
        // The upstream's document is JSON; any Accept header of the browser must not ask for YAML.
        context.request().headers().set("Accept", "application/json");
        return context.sendRequest();
    }
}
