package io.itsm.rest;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.itsm.requesthead.RequestHead;
import io.itsm.requesthead.RequestHead.Refusal;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Applies the suite's rules on a request's head ({@code request-head}) before any other route reads the request,
 * answering with a problem where Quarkus would answer with an empty body: a request target that is not a URI (400
 * naming the part at fault), one longer than {@code itsm.http.max-uri-length} (414), headers beyond
 * {@code itsm.http.max-header-size} (431 naming the largest), a declared body beyond
 * {@code quarkus.http.limits.max-body-size} (413, without reading it). Quarkus's URI check is off ({@link ServiceMain})
 * and its size limits on the request line and headers are far above these.
 */
@ApplicationScoped
public class RequestHeadCheck {

    /** Before every route of Quarkus's and the application's that reads the path. */
    static final int ORDER = Integer.MIN_VALUE;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    Optional<MemorySize> maxBodySize;

    void register(@Observes Router router, ObjectMapper json, HttpLimitsConfig limits) {
        long bodyLimit = maxBodySize.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
        router.route().order(ORDER).handler(rc -> check(rc, json, limits, bodyLimit));
    }

    private static void check(RoutingContext rc, ObjectMapper json, HttpLimitsConfig limits, long bodyLimit) {
        Optional<Refusal> refusal = RequestHead.check(rc.request().uri(), rc.request().headers(), limits.maxUriLength(),
                limits.maxHeaderSize());
        if (refusal.isEmpty()) {
            refusal = RequestHead.bodyTooLarge(rc.request().getHeader(HttpHeaders.CONTENT_LENGTH), bodyLimit);
            if (refusal.isPresent()) {
                // Answered from the headers: the body is never read, so the connection cannot be reused.
                rc.response().putHeader(HttpHeaders.CONNECTION, "close");
                rc.response().endHandler(done -> rc.request().connection().close());
            }
        }
        if (refusal.isEmpty()) {
            rc.next();
            return;
        }
        Refusal r = refusal.get();
        // no instance: the path may be what is refused
        send(rc, json, r.field() == null ? ProblemMapper.ofStatus(r.status(), r.detail(), null)
                : new Problem(Problem.type("malformed-request"), "Malformed request", r.status(), r.detail(), null,
                        List.of(new Problem.FieldError(r.field(), r.message()))));
    }

    /** Writes a problem as the whole response, unless the response has already started. */
    static void send(RoutingContext rc, ObjectMapper json, Problem problem) {
        if (rc.response().headWritten()) {
            rc.response().reset();
            return;
        }
        try {
            rc.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(Buffer.buffer(json.writeValueAsBytes(problem)));
        } catch (JsonProcessingException e) {
            rc.response().setStatusCode(problem.status()).end();
        }
    }
}
