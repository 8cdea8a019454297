package io.itsm.gateway.routing;

import java.net.URI;
import java.util.Locale;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Where one upstream listens, parsed from its configured base URL, and how to open a request to it.
 *
 * @param service the upstream's service name, for messages
 */
public record UpstreamAddress(String service, String host, int port, boolean ssl) {

    /** Parses an {@code http://host[:port]} or {@code https://host[:port]} base URL. */
    public static UpstreamAddress of(String service, URI baseUrl) {
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(
                    "The URL of " + service + " must start with http:// or https://, got: " + baseUrl);
        }
        if (baseUrl.getHost() == null) {
            throw new IllegalArgumentException("The URL of " + service + " has no host: " + baseUrl);
        }
        if (baseUrl.getRawPath() != null && !baseUrl.getRawPath().isEmpty() && !baseUrl.getRawPath().equals("/")) {
            throw new IllegalArgumentException("The URL of " + service
                    + " must not have a path (paths are forwarded unchanged): " + baseUrl);
        }
        boolean ssl = scheme.equals("https");
        int port = baseUrl.getPort() > 0 ? baseUrl.getPort() : ssl ? 443 : 80;
        return new UpstreamAddress(service, baseUrl.getHost(), port, ssl);
    }

    /** Options for a request to this upstream with the given connect timeout, in milliseconds. */
    public RequestOptions requestOptions(long connectTimeoutMillis) {
        return new RequestOptions()
                .setHost(host)
                .setPort(port)
                .setSsl(ssl)
                .setConnectTimeout(connectTimeoutMillis);
    }

    /** Options for a {@code GET} of {@code uri} on this upstream, failing after {@code timeoutMillis}. */
    public RequestOptions get(String uri, long timeoutMillis) {
        return requestOptions(timeoutMillis).setIdleTimeout(timeoutMillis).setMethod(HttpMethod.GET).setURI(uri);
    }

    @Override
    public String toString() {
        return (ssl ? "https://" : "http://") + host + ":" + port;
    }
}
