package io.itsm.rest;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How a service takes a request before its endpoint runs. Limits on a request's head that a service answers with a
 * problem ({@link RequestHeadCheck}). Quarkus's own limits ({@code quarkus.http.limits.max-initial-line-length},
 * {@code max-header-size}) answer with an empty body before any handler runs, so this module sets them far above these.
 */
@ConfigMapping(prefix = "itsm.http")
public interface HttpLimitsConfig {

    /** Longest request target (path and query) in characters; longer ones get 414. Above the gateway's 4000. */
    @WithDefault("4096")
    int maxUriLength();

    /**
     * Most bytes of request headers (names and values); more get 431. Above the gateway's 20 KiB, which adds a few
     * headers of its own to what it forwards.
     */
    @WithDefault("24576")
    int maxHeaderSize();

    /**
     * Request bodies declared ({@code Content-Length}) up to this size are read before the endpoint runs, on the event
     * loop ({@link EagerRequestBody}); larger and chunked ones are streamed to it. {@code 0} turns it off.
     */
    @WithDefault("64K")
    MemorySize eagerBodySize();
}
