package io.itsm.gateway.openapi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.itsm.gateway.routing.Upstream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Merges the services' OpenAPI 3.1 documents into the suite's one document: their paths (which do not collide by
 * design) and components, a tag group per service, the gateway's own operations, and on every operation the
 * answers only the gateway gives ({@code 429} rate limited, {@code 503} service unavailable). A component that two
 * services define differently under one name is renamed in the later service's part ({@code Cmdb<Name>}, its
 * {@code $ref}s rewritten); identical ones are kept once.
 */
public final class ApiDocumentMerger {

    /** One service's document. */
    public record Source(Upstream upstream, JsonObject document) {
    }

    private static final List<String> COMPONENT_KINDS = List.of("schemas", "responses", "parameters", "examples",
            "requestBodies", "headers", "securitySchemes", "links", "callbacks", "pathItems");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM_REF = "#/components/schemas/Problem";

    private ApiDocumentMerger() {
    }

    /**
     * The merged document.
     *
     * @param sources the services' documents, in the order their parts appear
     * @param gateway the gateway's own operations: a document fragment with {@code paths}, {@code tags} and
     *        {@code components}, merged like a service's
     * @param serverUrl the public URL of the API, the document's one server
     * @param version the suite's version, the document's {@code info.version}
     */
    public static JsonObject merge(List<Source> sources, JsonObject gateway, String serverUrl, String version) {
        JsonObject merged = new JsonObject()
                .put("openapi", "3.1.0")
                .put("info", info(version))
                .put("servers", new JsonArray().add(new JsonObject().put("url", serverUrl)
                        .put("description", "The ITSM gateway")))
                .put("security", new JsonArray().add(new JsonObject().put("bearer", new JsonArray())));
        JsonObject paths = new JsonObject();
        JsonObject components = new JsonObject();
        Map<String, JsonObject> tags = new LinkedHashMap<>();
        JsonArray tagGroups = new JsonArray();

        List<Part> parts = new ArrayList<>();
        for (Source source : sources) {
            parts.add(new Part(source.upstream().serviceName(), prefix(source.upstream()), source.document()));
        }
        parts.add(new Part("gateway", "Gateway", gateway));
        for (Part part : parts) {
            JsonObject document = part.document().copy();
            Map<String, String> renames = renamesFor(document, components, part.prefix());
            if (!renames.isEmpty()) {
                document = (JsonObject) rewriteRefs(document, renames);
            }
            mergeComponents(document.getJsonObject("components", new JsonObject()), components);
            List<String> ownTags = new ArrayList<>();
            JsonObject documentPaths = document.getJsonObject("paths", new JsonObject());
            for (String path : documentPaths.fieldNames()) {
                if (paths.containsKey(path)) {
                    continue; // cannot happen by design: every service owns its own prefix
                }
                JsonObject item = documentPaths.getJsonObject(path);
                for (String method : item.fieldNames()) {
                    if (METHODS.contains(method)) {
                        JsonObject operation = item.getJsonObject(method);
                        addGatewayResponses(operation);
                        operation.getJsonArray("tags", new JsonArray()).forEach(t -> {
                            if (!ownTags.contains(t.toString())) {
                                ownTags.add(t.toString());
                            }
                        });
                    }
                }
                paths.put(path, item);
            }
            JsonArray declaredTags = document.getJsonArray("tags", new JsonArray());
            for (String tag : ownTags) {
                JsonObject declared = declaredTags.stream().map(JsonObject.class::cast)
                        .filter(t -> tag.equals(t.getString("name"))).findFirst().orElse(new JsonObject().put("name", tag));
                if (declared.getString("description") == null) {
                    declared.put("description", tag + ", served by " + part.service() + ".");
                }
                tags.putIfAbsent(tag, declared);
            }
            if (!ownTags.isEmpty()) {
                tagGroups.add(new JsonObject().put("name", part.service()).put("tags", new JsonArray(ownTags)));
            }
        }
        ensureProblemSchema(components);
        merged.put("tags", new JsonArray(new ArrayList<>(tags.values())));
        merged.put("x-tagGroups", tagGroups);
        merged.put("paths", paths);
        merged.put("components", components);
        return merged;
    }

    private record Part(String service, String prefix, JsonObject document) {
    }

    private static JsonObject info(String version) {
        return new JsonObject()
                .put("title", "ITSM suite API")
                .put("version", version)
                .put("summary", "Incident, change and configuration management over one REST API")
                .put("description", """
                        The public API of the ITSM suite, served by its gateway: incident management \
                        (`/api/incidents`), change enablement (`/api/changes`) and configuration management \
                        (`/api/cmdb`).

                        - **Authentication**: a bearer JWT on every `/api` request (Authorize button; locally \
                        `./itsm token --roles itsm-agent`). Each operation lists the roles it allows.
                        - **Errors**: RFC 9457 `application/problem+json` with `type`, `title`, `status`, `detail`, \
                        `instance` and, for validation, `errors[]` naming each field. A request body field an \
                        operation does not have is refused (`400`, "is not a known field"), never dropped; so is a \
                        query parameter it does not have.
                        - **Concurrency**: single resources carry a strong `ETag`; updates and transitions need \
                        `If-Match` (412 when stale, 428 when missing).
                        - **Idempotency**: creating POSTs accept `Idempotency-Key`.
                        - **Lists**: filters named after fields, `sort=field,-other`, opaque `cursor` + `limit` \
                        (default 50, max 500), `Link: <...>; rel="next"`, `count=true` for `X-Total-Count`.
                        - **Rate limits**: per client; `429` with `Retry-After`, and `RateLimit-*` headers on \
                        every answer.
                        - **Events**: every change is also published on Kafka; see `/asyncapi`.
                        """)
                .put("contact", new JsonObject().put("name", "ITSM suite maintainers"));
    }

    private static String prefix(Upstream upstream) {
        String name = upstream.docsName();
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** The components of {@code document} that clash with different ones already merged, and their new names. */
    private static Map<String, String> renamesFor(JsonObject document, JsonObject merged, String prefix) {
        Map<String, String> renames = new HashMap<>();
        JsonObject components = document.getJsonObject("components", new JsonObject());
        for (String kind : COMPONENT_KINDS) {
            JsonObject own = components.getJsonObject(kind);
            JsonObject existing = merged.getJsonObject(kind);
            if (own == null || existing == null) {
                continue;
            }
            for (String name : own.fieldNames()) {
                if (existing.containsKey(name) && !existing.getValue(name).equals(own.getValue(name))) {
                    String renamed = prefix + name;
                    for (int i = 2; existing.containsKey(renamed) || own.containsKey(renamed); i++) {
                        renamed = prefix + name + i;
                    }
                    renames.put("#/components/" + kind + "/" + name, "#/components/" + kind + "/" + renamed);
                }
            }
        }
        if (!renames.isEmpty()) {
            for (Map.Entry<String, String> rename : renames.entrySet()) {
                String[] from = rename.getKey().split("/");
                String[] to = rename.getValue().split("/");
                JsonObject kind = components.getJsonObject(from[2]);
                kind.put(to[3], kind.remove(from[3]));
            }
        }
        return renames;
    }

    private static Object rewriteRefs(Object node, Map<String, String> renames) {
        if (node instanceof JsonObject object) {
            JsonObject copy = new JsonObject();
            for (Map.Entry<String, Object> field : object) {
                Object value = field.getValue();
                if (field.getKey().equals("$ref") && value instanceof String ref && renames.containsKey(ref)) {
                    copy.put("$ref", renames.get(ref));
                } else {
                    copy.put(field.getKey(), rewriteRefs(value, renames));
                }
            }
            return copy;
        }
        if (node instanceof JsonArray array) {
            JsonArray copy = new JsonArray();
            array.forEach(element -> copy.add(rewriteRefs(element, renames)));
            return copy;
        }
        return node;
    }

    private static void mergeComponents(JsonObject from, JsonObject into) {
        for (String kind : from.fieldNames()) {
            JsonObject own = from.getJsonObject(kind);
            JsonObject target = into.getJsonObject(kind);
            if (target == null) {
                target = new JsonObject();
                into.put(kind, target);
            }
            for (String name : own.fieldNames()) {
                if (!target.containsKey(name)) {
                    target.put(name, own.getValue(name));
                }
            }
        }
    }

    /** The answers the gateway itself may give to any API operation. */
    private static void addGatewayResponses(JsonObject operation) {
        JsonObject responses = operation.getJsonObject("responses");
        if (responses == null) {
            responses = new JsonObject();
            operation.put("responses", responses);
        }
        if (!responses.containsKey("429")) {
            responses.put("429", problem("Too many requests from this client (its token bucket is empty); retry after `Retry-After` seconds")
                    .put("headers", new JsonObject()
                            .put("Retry-After", header("Seconds to wait before retrying", "integer"))
                            .put("RateLimit-Limit", header("Requests the client may make in a burst", "integer"))
                            .put("RateLimit-Remaining", header("Requests left in the burst (0)", "integer"))
                            .put("RateLimit-Reset", header("Seconds until the bucket is full again", "integer"))));
        }
        if (!responses.containsKey("503")) {
            responses.put("503", problem("The service behind the gateway is unavailable or did not answer in time (the problem names it)"));
        }
    }

    private static JsonObject problem(String description) {
        return new JsonObject().put("description", description)
                .put("content", new JsonObject().put(PROBLEM_JSON,
                        new JsonObject().put("schema", new JsonObject().put("$ref", PROBLEM_REF))));
    }

    private static JsonObject header(String description, String type) {
        return new JsonObject().put("description", description).put("schema", new JsonObject().put("type", type));
    }

    /** The gateway's own answers refer to {@code Problem}; the services define it, but a document without them must not dangle. */
    private static void ensureProblemSchema(JsonObject components) {
        JsonObject schemas = components.getJsonObject("schemas");
        if (schemas == null) {
            schemas = new JsonObject();
            components.put("schemas", schemas);
        }
        if (!schemas.containsKey("Problem")) {
            schemas.put("Problem", new JsonObject().put("type", "object")
                    .put("description", "RFC 9457 problem detail; every error of the API has this shape.")
                    .put("properties", new JsonObject()
                            .put("type", new JsonObject().put("type", "string"))
                            .put("title", new JsonObject().put("type", "string"))
                            .put("status", new JsonObject().put("type", "integer"))
                            .put("detail", new JsonObject().put("type", "string"))
                            .put("instance", new JsonObject().put("type", "string"))));
        }
    }
}
