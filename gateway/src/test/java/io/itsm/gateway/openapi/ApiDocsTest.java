package io.itsm.gateway.openapi;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import io.itsm.gateway.security.AuthorizedRequests;
import io.itsm.gateway.upstream.FakeUpstreamsResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(FakeUpstreamsResource.class)
class ApiDocsTest {

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
                .body(containsString("/openapi/incident"))
                .body(containsString("/openapi/change"))
                .body(containsString("/openapi/cmdb"));
    }

    @Test
    void exposesPrometheusMetrics() {
        given().header("Authorization", AuthorizedRequests.agentBearer()).when().get("/api/incidents").then().statusCode(200);
        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count"));
    }
}
