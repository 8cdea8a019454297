package io.itsm.gateway.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.itsm.gateway.routing.Upstream;
import io.vertx.core.json.JsonObject;

class ApiDocumentMergerTest {

    private static JsonObject document(String path, String tag, String schemaName, JsonObject schema) {
        return new JsonObject("""
                {"openapi":"3.1.0","info":{"title":"t","version":"1"},
                 "tags":[{"name":"%s","description":"%s things"}],
                 "paths":{"%s":{"get":{"tags":["%s"],"operationId":"op%s","summary":"s",
                   "responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/%s"}}}},
                                "404":{"description":"none","content":{"application/problem+json":{"schema":{"$ref":"#/components/schemas/Problem"}}}}}}}},
                 "components":{"schemas":{"%s":%s,"Problem":{"type":"object"}},
                   "securitySchemes":{"bearer":{"type":"http","scheme":"bearer"}}}}
                """.formatted(tag, tag, path, tag, tag, schemaName, schemaName, schema.encode()));
    }

    private static final JsonObject GATEWAY = new JsonObject("""
            {"tags":[{"name":"Overview","description":"Composite views"}],
             "paths":{"/api/cmdb/cis/{id}/overview":{"get":{"tags":["Overview"],"operationId":"overview","summary":"o",
               "responses":{"200":{"description":"ok"}}}}}}
            """);

    private final JsonObject merged = ApiDocumentMerger.merge(List.of(
            new ApiDocumentMerger.Source(Upstream.INCIDENT, document("/api/incidents", "Incidents", "Change",
                    new JsonObject().put("type", "object").put("description", "a history entry"))),
            new ApiDocumentMerger.Source(Upstream.CHANGE, document("/api/changes", "Changes", "Change",
                    new JsonObject().put("type", "object").put("description", "a change request"))),
            new ApiDocumentMerger.Source(Upstream.CMDB, document("/api/cmdb/cis", "Configuration items", "Change",
                    new JsonObject().put("type", "object").put("description", "a history entry")))),
            GATEWAY, "https://itsm.example.org", "1.2.3");

    @Test
    void holdsEveryServicesPathsAndTheGatewaysOwnUnderOneServerAndScheme() {
        assertThat(merged.getString("openapi")).isEqualTo("3.1.0");
        assertThat(merged.getJsonObject("info").getString("version")).isEqualTo("1.2.3");
        assertThat(merged.getJsonArray("servers").getJsonObject(0).getString("url")).isEqualTo("https://itsm.example.org");
        assertThat(merged.getJsonObject("paths").fieldNames())
                .containsExactlyInAnyOrder("/api/incidents", "/api/changes", "/api/cmdb/cis", "/api/cmdb/cis/{id}/overview");
        assertThat(merged.getJsonObject("components").getJsonObject("securitySchemes").fieldNames()).containsExactly("bearer");
        assertThat(merged.getJsonArray("security").getJsonObject(0).containsKey("bearer")).isTrue();
    }

    @Test
    void keepsIdenticalComponentsOnceAndRenamesDifferentOnesWithTheirReferences() {
        JsonObject schemas = merged.getJsonObject("components").getJsonObject("schemas");
        assertThat(schemas.fieldNames()).containsExactlyInAnyOrder("Change", "ChangeChange", "Problem");
        assertThat(schemas.getJsonObject("Change").getString("description")).isEqualTo("a history entry");
        assertThat(schemas.getJsonObject("ChangeChange").getString("description")).isEqualTo("a change request");
        assertThat(ref(merged, "/api/changes")).isEqualTo("#/components/schemas/ChangeChange");
        assertThat(ref(merged, "/api/incidents")).isEqualTo("#/components/schemas/Change");
        assertThat(ref(merged, "/api/cmdb/cis")).isEqualTo("#/components/schemas/Change");
    }

    private static String ref(JsonObject document, String path) {
        return document.getJsonObject("paths").getJsonObject(path).getJsonObject("get").getJsonObject("responses")
                .getJsonObject("200").getJsonObject("content").getJsonObject("application/json")
                .getJsonObject("schema").getString("$ref");
    }

    @Test
    void documentsTheGatewaysOwnAnswersOnEveryOperation() {
        for (String path : merged.getJsonObject("paths").fieldNames()) {
            JsonObject responses = merged.getJsonObject("paths").getJsonObject(path).getJsonObject("get")
                    .getJsonObject("responses");
            assertThat(responses.fieldNames()).as(path).contains("429", "503");
            assertThat(responses.getJsonObject("429").getJsonObject("headers").fieldNames())
                    .contains("Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset");
            assertThat(responses.getJsonObject("503").getJsonObject("content").containsKey("application/problem+json")).isTrue();
        }
        assertThat(merged.getJsonObject("paths").getJsonObject("/api/incidents").getJsonObject("get")
                .getJsonObject("responses").getJsonObject("404").getString("description")).isEqualTo("none");
    }

    @Test
    void groupsTheTagsByService() {
        assertThat(merged.getJsonArray("x-tagGroups").stream().map(g -> ((JsonObject) g).getString("name")))
                .containsExactly("incident-service", "change-service", "cmdb-service", "gateway");
        assertThat(merged.getJsonArray("tags").stream().map(t -> ((JsonObject) t).getString("name")))
                .containsExactly("Incidents", "Changes", "Configuration items", "Overview");
        assertThat(merged.getJsonArray("tags").getJsonObject(0).getString("description")).isEqualTo("Incidents things");
    }
}
