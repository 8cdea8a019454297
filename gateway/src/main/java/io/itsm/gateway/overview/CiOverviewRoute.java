package io.itsm.gateway.overview;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.itsm.gateway.config.GatewayConfig;
import io.itsm.gateway.problem.Problem;
import io.itsm.gateway.problem.ProblemResponses;
import io.itsm.gateway.routing.RequestIds;
import io.itsm.gateway.routing.Upstream;
import io.itsm.gateway.routing.UpstreamCall;
import io.itsm.gateway.routing.UpstreamProxies;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/cmdb/cis/{id}/overview}: a CI with its open incidents and its upcoming and current changes, asked
 * of the three services in parallel with the caller's token. A service that is down, slow or refuses gives a
 * {@code warnings} entry and its part is left out (200, a partial answer); only the CI itself decides 404/403.
 */
@ApplicationScoped
public class CiOverviewRoute {

    /** After the rate limit (-10), before the proxy routes of /api/cmdb. */
    static final int ORDER = -5;

    static final List<String> OPEN_INCIDENT_STATES = List.of("NEW", "IN_PROGRESS", "ON_HOLD");
    static final List<String> OPEN_CHANGE_STATES = List.of("NEW", "ASSESS", "AUTHORIZE", "SCHEDULED", "IMPLEMENT");
    static final int LIMIT = 100;

    @Inject
    HttpClient client;

    @Inject
    UpstreamProxies proxies;

    @Inject
    GatewayConfig config;

    void register(@Observes Router router) {
        router.route(HttpMethod.GET, Upstream.CMDB.apiPrefix() + "/cis/:id/overview").order(ORDER).handler(this::overview);
    }

    private void overview(RoutingContext rc) {
        String id = rc.pathParam("id");
        String authorization = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
        String requestId = rc.request().getHeader(RequestIds.HEADER);
        Duration timeout = config.overviewTimeout();
        Future<UpstreamCall.Result> ci = call(Upstream.CMDB, "/api/cmdb/cis/" + encode(id), authorization, requestId, timeout);
        Future<UpstreamCall.Result> incidents;
        Future<UpstreamCall.Result> changes;
        if (isUuid(id)) {
            incidents = incidents(id, authorization, requestId, timeout);
            changes = changes(id, authorization, requestId, timeout);
        } else {
            // A CI number: the other services know the CI by its id, which only the CI tells.
            incidents = ci.compose(found -> ciId(found) != null
                    ? incidents(ciId(found), authorization, requestId, timeout) : skipped(Upstream.INCIDENT));
            changes = ci.compose(found -> ciId(found) != null
                    ? changes(ciId(found), authorization, requestId, timeout) : skipped(Upstream.CHANGE));
        }
        Future.join(ci, incidents, changes).onComplete(done -> {
            try {
                answer(rc, orFailed(ci, Upstream.CMDB), orFailed(incidents, Upstream.INCIDENT), orFailed(changes, Upstream.CHANGE));
            } catch (RuntimeException e) {
                rc.fail(e); // a problem+json 500 from ProblemResponses, never a hanging request
            }
        });
    }

    private Future<UpstreamCall.Result> incidents(String ciId, String authorization, String requestId, Duration timeout) {
        StringBuilder uri = new StringBuilder("/api/incidents?configurationItemId=").append(encode(ciId));
        OPEN_INCIDENT_STATES.forEach(state -> uri.append("&state=").append(state));
        uri.append("&sort=priority,-openedAt&limit=").append(LIMIT);
        return call(Upstream.INCIDENT, uri.toString(), authorization, requestId, timeout);
    }

    private Future<UpstreamCall.Result> changes(String ciId, String authorization, String requestId, Duration timeout) {
        StringBuilder uri = new StringBuilder("/api/changes?configurationItemId=").append(encode(ciId));
        OPEN_CHANGE_STATES.forEach(state -> uri.append("&state=").append(state));
        uri.append("&limit=").append(LIMIT);
        return call(Upstream.CHANGE, uri.toString(), authorization, requestId, timeout);
    }

    private Future<UpstreamCall.Result> call(Upstream upstream, String uri, String authorization, String requestId, Duration timeout) {
        return UpstreamCall.get(client, upstream, proxies.address(upstream), uri, authorization, requestId, timeout);
    }

    private static Future<UpstreamCall.Result> skipped(Upstream upstream) {
        return Future.succeededFuture(new UpstreamCall.Result(upstream, 0, null, "not asked: the CI could not be read"));
    }

    private static void answer(RoutingContext rc, UpstreamCall.Result ci, UpstreamCall.Result incidents, UpstreamCall.Result changes) {
        String path = rc.request().path();
        if (ci.status() == 401 || ci.status() == 403 || ci.status() == 404 || ci.status() == 400) {
            // The CI decides: the caller may not see it, or it does not exist.
            JsonObject problem = ci.body() instanceof JsonObject json ? json
                    : Problem.ofStatus(ci.status(), null, path).toJson();
            rc.response().setStatusCode(ci.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(problem.put("instance", path).encode());
            return;
        }
        JsonArray warnings = new JsonArray();
        JsonObject overview = new JsonObject();
        overview.put("ci", part(ci, JsonObject.class, warnings));
        JsonArray open = part(incidents, JsonArray.class, warnings);
        overview.put("openIncidents", open);
        overview.put("openIncidentsTruncated", open != null && open.size() >= LIMIT);
        JsonArray upcoming = part(changes, JsonArray.class, warnings);
        overview.put("changes", upcoming == null ? null : byPlannedStart(upcoming));
        overview.put("changesTruncated", upcoming != null && upcoming.size() >= LIMIT);
        overview.put("warnings", warnings);
        rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(overview.encode());
    }

    /** The part's body if the service answered it, else {@code null} and a warning naming the service and why. */
    private static <T> T part(UpstreamCall.Result result, Class<T> type, JsonArray warnings) {
        if (result.ok() && type.isInstance(result.body())) {
            return type.cast(result.body());
        }
        String why;
        if (result.problem() != null) {
            why = result.problem();
        } else if (result.body() instanceof JsonObject problem && problem.getString("detail") != null) {
            why = "HTTP " + result.status() + ": " + problem.getString("detail");
        } else {
            why = "HTTP " + result.status();
        }
        warnings.add(new JsonObject().put("service", result.upstream().serviceName())
                .put("part", switch (result.upstream()) {
                    case CMDB -> "ci";
                    case INCIDENT -> "openIncidents";
                    case CHANGE -> "changes";
                })
                .put("detail", result.upstream().serviceName() + " did not answer this part: " + why));
        return null;
    }

    /** Current and upcoming first: by planned start, unplanned ones last. */
    private static JsonArray byPlannedStart(JsonArray changes) {
        List<JsonObject> sorted = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            if (changes.getValue(i) instanceof JsonObject change) {
                sorted.add(change);
            }
        }
        sorted.sort(Comparator.comparing(c -> c.getString("plannedStart", "\uffff")));
        return new JsonArray(new ArrayList<>(sorted));
    }

    /** The CI's id as cmdb-service answered it, or {@code null}. */
    private static String ciId(UpstreamCall.Result ci) {
        return ci.ok() && ci.body() instanceof JsonObject json && json.getValue("id") instanceof String id ? id : null;
    }

    private static UpstreamCall.Result orFailed(Future<UpstreamCall.Result> part, Upstream upstream) {
        if (part.succeeded() && part.result() != null) {
            return part.result();
        }
        return new UpstreamCall.Result(upstream, 0, null, "the call failed: "
                + (part.cause() == null ? "no result" : part.cause().getClass().getSimpleName()));
    }

    private static boolean isUuid(String id) {
        try {
            UUID.fromString(id);
            return id.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
