package io.itsm.rest;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.itsm.rest.json.StrictJson;

/**
 * Refuses, before any resource is chosen, what Quarkus REST would otherwise fail on with a 500 (found by the suite's
 * bad-input fuzzer): a {@code Content-Type} that is not a media type at all (415), a query that is not properly
 * percent-encoded, and a NUL character (U+0000) in the path or a query parameter, which PostgreSQL cannot store or
 * compare (400 naming the parameter).
 */
public class MalformedRequestGuard {

    @ServerRequestFilter(preMatching = true)
    public Response check(ContainerRequestContext request) {
        String contentType = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (contentType != null && !contentType.isBlank()) {
            try {
                MediaType.valueOf(contentType);
            } catch (IllegalArgumentException e) {
                return problem(415, "Unsupported Media Type", "Content-Type", "is not a media type: '" + contentType + "'",
                        request);
            }
        }
        if (request.getUriInfo().getPath().indexOf('\u0000') >= 0) {
            return problem(400, "Malformed request", "path", StrictJson.NUL_MESSAGE, request);
        }
        MultivaluedMap<String, String> query;
        try {
            query = request.getUriInfo().getQueryParameters();
        } catch (IllegalArgumentException e) {
            return problem(400, "Malformed request", "query", "is not properly percent-encoded", request);
        }
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            boolean nul = parameter.getKey().indexOf('\u0000') >= 0
                    || parameter.getValue().stream().anyMatch(v -> v != null && v.indexOf('\u0000') >= 0);
            if (nul) {
                return problem(400, "Malformed request", parameter.getKey().replace("\u0000", "\\u0000"),
                        StrictJson.NUL_MESSAGE, request);
            }
        }
        return null;
    }

    private static Response problem(int status, String title, String field, String message, ContainerRequestContext request) {
        String slug = status == 415 ? "unsupported-media-type" : "malformed-request";
        return ProblemMapper.respond(new Problem(Problem.type(slug), title, status, field + " " + message,
                ProblemMapper.instance(request.getUriInfo()), List.of(new Problem.FieldError(field, message))));
    }
}
