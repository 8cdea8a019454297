package io.itsm.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.itsm.requesthead.RequestHead;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Reads a small request body on the event loop before the endpoint runs. Quarkus REST buffers a body only for a
 * non-blocking endpoint; a blocking one (every endpoint that uses the database) reads it from a stream on its worker
 * thread, which then waits for the event loop to hand over the bytes and once more for the end of the request: two
 * thread switches per request on a machine where each costs as much as a statement. With the body already in the
 * routing context, Quarkus REST reads it from memory. Bodies declared larger than {@code itsm.http.eager-body-size},
 * and chunked ones, are streamed to the endpoint as before (e.g. an NDJSON import of many megabytes).
 */
@ApplicationScoped
public class EagerRequestBody {

    /** Right after {@link RequestHeadCheck}, which refuses a body declared too large before anything reads it. */
    static final int ORDER = RequestHeadCheck.ORDER + 1;

    void register(@Observes Router router, HttpLimitsConfig limits) {
        long max = limits.eagerBodySize().asLongValue();
        if (max <= 0) {
            return;
        }
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(max);
        router.route().order(ORDER).handler(rc -> {
            if (isSmallDeclaredBody(rc, max)) {
                bodies.handle(rc);
            } else {
                rc.next();
            }
        });
    }

    /** A body of known length, at most {@code max} bytes, and not chunked (where the length header does not count). */
    private static boolean isSmallDeclaredBody(RoutingContext rc, long max) {
        return !rc.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)
                && parsesAsSmall(rc.request().getHeader(HttpHeaders.CONTENT_LENGTH), max);
    }

    /** Whether a {@code Content-Length} value is a length from 1 to {@code max}. */
    static boolean parsesAsSmall(String contentLength, long max) {
        long declared = RequestHead.declaredBodyLength(contentLength);
        return declared > 0 && declared <= max;
    }
}
