package io.itsm.gateway.openapi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import io.itsm.gateway.security.AuthorizedRequests;
import io.itsm.gateway.upstream.FakeUpstreams;
import io.itsm.gateway.upstream.FakeUpstreamsResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

@QuarkusTest
@WithTestResource(FakeUpstreamsResource.class)
class ApiDocsTest {

    FakeUpstreams upstreams;

    @ParameterizedTest
    @CsvSource({ "incident, incident-service", "change, change-service", "cmdb, cmdb-service" })
    void proxiesEachServicesOpenApiDocumentAsJson(String name, String service) {
        given().header("Accept", "application/yaml")
                .when().get("/openapi/" + name)
                .then().statusCode(200)
                .contentType("application/json")
                .body("openapi", equalTo("3.1.0"))
                .body("info.title", equalTo(service))
                .body("x-requested-query", equalTo("format=json"));
    }

    @Test
    void servesSwaggerUiAtDocsListingTheThreeDocuments() {
        given().header("Accept", "text/html")
                .when().get("/docs")
                .then().statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("swagger-ui"))
                .body(containsString("\"/openapi\""))
                .body(containsString("/openapi/incident"))
                .body(containsString("/openapi/change"))
                .body(containsString("/openapi/cmdb"));
    }

    @Test
    void mergesTheServicesDocumentsAtOpenapi() {
        given().when().get("/openapi")
                .then().statusCode(200)
                .contentType("application/json")
                .body("openapi", equalTo("3.1.0"))
                .body("info.title", equalTo("ITSM suite API"))
                .body("servers[0].url", equalTo(RestAssured.baseURI + ":" + RestAssured.port))
                .body("paths.keySet()", hasItems("/api/incident-service/things", "/api/change-service/things",
                        "/api/cmdb-service/things"))
                .body("paths.'/api/cmdb-service/things'.get.responses.keySet()", hasItems("200", "429", "503"))
                .body("x-tagGroups.name", contains("incident-service", "change-service", "cmdb-service", "gateway"))
                .body("paths.keySet()", hasItems("/api/cmdb/cis/{id}/overview"))
                .body("components.schemas.Problem.type", equalTo("object"));
    }

    @ParameterizedTest
    @CsvSource({ "/openapi.yaml, ", "/openapi, format=yaml", "/openapi, accept" })
    void servesTheMergedDocumentAsYamlOnRequest(String path, String how) {
        var request = given();
        if ("format=yaml".equals(how)) {
            request.queryParam("format", "yaml");
        } else if ("accept".equals(how)) {
            request.header("Accept", "application/yaml");
        }
        request.when().get(path)
                .then().statusCode(200)
                .contentType(containsString("application/yaml"))
                .body(containsString("openapi: 3.1.0"))
                .body(containsString("/api/change-service/things:"));
    }

    @Test
    void aStoppedServiceDoesNotBreakTheDocumentItServedBefore() {
        given().when().get("/openapi").then().statusCode(200);
        upstreams.change().stop();
        try {
            given().when().get("/openapi")
                    .then().statusCode(200)
                    .body("paths.keySet()", hasItems("/api/change-service/things"));
        } finally {
            upstreams.restoreAll();
        }
    }

    @Test
    void servesTheAsyncApiDocumentOfTheEvents() {
        given().when().get("/asyncapi")
                .then().statusCode(200)
                .contentType(containsString("application/yaml"))
                .body(containsString("asyncapi: 3.0.0"))
                .body(containsString("itsm.cmdb.events"));
        given().when().get("/asyncapi.json")
                .then().statusCode(200)
                .contentType("application/json")
                .body("asyncapi", equalTo("3.0.0"))
                .body("channels.keySet()", hasItems("incidentEvents"));
    }

    @Test
    void exposesPrometheusMetrics() {
        given().header("Authorization", AuthorizedRequests.agentBearer()).when().get("/api/incidents/42").then().statusCode(200);
        given().header("Authorization", AuthorizedRequests.agentBearer()).when().get("/api/cmdb/cis/CI0010001/overview");
        given().when().get("/api/changes/7").then().statusCode(401);
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        // per route (the collapsed uri), method and status, with latency buckets
        assertThat(metrics).containsPattern("http_server_requests_seconds_bucket\\{[^}]*method=\"GET\"[^}]*status=\"200\"[^}]*uri=\"/api/incidents/\\{path}\"[^}]*le=\"0\\.05\"")
                .containsPattern("http_server_requests_seconds_count\\{[^}]*status=\"401\"[^}]*uri=\"/api/changes/\\{path}\"")
                .containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/api/cmdb/cis/\\{id}/overview\"")
                .doesNotContain("/api/incidents/42");
    }
}
