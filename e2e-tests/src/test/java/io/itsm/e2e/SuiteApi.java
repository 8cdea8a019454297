package io.itsm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The suite's API as its merged OpenAPI document describes it, with one real resource of each kind to aim the
 * document's operations at (their ids fill the path templates). Tests that walk every operation start here.
 */
final class SuiteApi {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    private final JsonNode document;
    private final Map<String, String> ids = new LinkedHashMap<>();

    private SuiteApi(JsonNode document) {
        this.document = document;
    }

    /** The gateway's merged document, and fixture resources named after {@code label} (unique per caller). */
    static SuiteApi load(SuiteClient admin, String label) {
        SuiteApi api = new SuiteApi(admin.get("/openapi").json());
        api.ids.put("incident", created(admin.post("/api/incidents",
                "{\"shortDescription\":\"" + label + "\",\"impact\":3,\"urgency\":3}")));
        api.ids.put("change", created(admin.post("/api/changes", "{\"type\":\"NORMAL\",\"shortDescription\":\"" + label
                + "\",\"plannedStart\":\"2027-03-01T22:00:00Z\",\"plannedEnd\":\"2027-03-01T23:00:00Z\"}")));
        api.ids.put("window", created(admin.post("/api/changes/blackout-windows",
                api.example("post", "/api/changes/blackout-windows"))));
        api.ids.put("template", created(admin.post("/api/changes/templates", api.example("post", "/api/changes/templates")
                .replaceFirst("\"name\"\\s*:\\s*\"[^\"]*\"", "\"name\":\"" + label + " template\""))));
        api.ids.put("ci", created(admin.post("/api/cmdb/cis", "{\"ciClass\":\"application\",\"name\":\"" + label + "-app\"}")));
        String host = created(admin.post("/api/cmdb/cis", "{\"ciClass\":\"linux_server\",\"name\":\"" + label + "-host\"}"));
        api.ids.put("host", host);
        api.ids.put("relationship", created(admin.post("/api/cmdb/relationships",
                "{\"sourceId\":\"" + api.ids.get("ci") + "\",\"type\":\"RUNS_ON\",\"targetId\":\"" + host + "\"}")));
        // a class of the caller's own, so that writes aimed at a class never touch the seeded ones others rely on
        String ciClass = label.toLowerCase().replaceAll("[^a-z0-9]+", "_") + "_class";
        SuiteClient.Reply classCreated = admin.post("/api/cmdb/classes",
                "{\"name\":\"" + ciClass + "\",\"parent\":\"network_device\",\"label\":\"" + label + "\"}");
        assertThat(classCreated.status()).as(classCreated.text()).isEqualTo(201);
        api.ids.put("class", ciClass);
        return api;
    }

    private static String created(SuiteClient.Reply reply) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    JsonNode document() {
        return document;
    }

    /** The id of the fixture of a kind: incident, change, window, template, ci, host, relationship, class (its name). */
    String id(String kind) {
        return ids.get(kind);
    }

    /** Every operation of the document: "METHOD path" to its node. */
    Map<String, JsonNode> operations() {
        Map<String, JsonNode> operations = new LinkedHashMap<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (METHODS.contains(op.getKey())) {
                operations.put(op.getKey().toUpperCase() + " " + path.getKey(), op.getValue());
            }
        }));
        return operations;
    }

    /** A path template with the fixtures' ids in it. */
    String withIds(String path) {
        return path.replace("/api/incidents/{id}", "/api/incidents/" + ids.get("incident"))
                .replace("{windowId}", ids.get("window"))
                .replace("{templateId}", ids.get("template"))
                .replace("/api/changes/{id}", "/api/changes/" + ids.get("change"))
                .replace("/api/cmdb/cis/{id}", "/api/cmdb/cis/" + ids.get("ci"))
                .replace("/api/cmdb/classes/{name}", "/api/cmdb/classes/" + ids.get("class"))
                .replace("/api/cmdb/relationships/{id}", "/api/cmdb/relationships/" + ids.get("relationship"));
    }

    /** Values for the required query parameters: their documented example, or for the diff's {@code from} a past time. */
    static String requiredQuery(JsonNode operation) {
        List<String> query = new ArrayList<>();
        operation.path("parameters").forEach(parameter -> {
            if (parameter.path("in").asText().equals("query") && parameter.path("required").asBoolean()) {
                String name = parameter.path("name").asText();
                String value = parameter.has("example") ? text(parameter.path("example"))
                        : parameter.path("schema").path("examples").size() > 0 ? text(parameter.path("schema").path("examples").get(0))
                        : name.equals("from") ? "2026-01-01T00:00:00Z" : null;
                assertThat(value).as("a value for the required query parameter %s", name).isNotNull();
                query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return query.isEmpty() ? "" : "?" + String.join("&", query);
    }

    /** The documented example request body of an operation. */
    String example(String method, String path) {
        return exampleOf(document.path("paths").path(path).path(method).path("requestBody").path("content")
                .path("application/json"));
    }

    /** The documented example of a media type, or an empty object. */
    static String exampleOf(JsonNode media) {
        if (media.has("example")) {
            return text(media.path("example"));
        }
        if (media.path("examples").fields().hasNext()) {
            return text(media.path("examples").fields().next().getValue().path("value"));
        }
        if (media.path("schema").path("examples").size() > 0) {
            return text(media.path("schema").path("examples").get(0));
        }
        return "{}";
    }

    private static String text(JsonNode value) {
        return value.isTextual() ? value.asText() : value.toString();
    }
}
