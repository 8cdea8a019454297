package io.itsm.cmdb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import io.itsm.testsupport.KafkaTestResource;
import io.itsm.testsupport.MongoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** Readiness reflects MongoDB and the outbox, wellness Kafka (an outage of the broker leaves it ready); the API documents itself. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoTestResource.class, restrictToAnnotatedClass = false)
class HealthTest {

    @Test
    void readinessListsMongoAndTheOutboxAndWellnessKafka() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("MongoDB connection health check", "outbox"))
                .body("checks.name", not(hasItem(containsString("Kafka"))))
                .body("checks.find { it.name == 'SmallRye Reactive Messaging - readiness check' }.data", nullValue());
        given().when().get("/q/health/well").then().statusCode(200)
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Kafka connection health check' }.data.nodes", equalTo(1));
    }

    @Test
    void aClientThatOffersHttp2IsAnsweredOverHttp11() throws Exception {
        // Java's HttpClient offers an h2c upgrade by default; upgraded, a large answer (the metrics) came back broken now
        // and then. The services speak HTTP/1.1 only (rest-conventions' defaults), as the gateway does.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port
                    + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void theOpenApiDocumentDescribesTheCiApi() {
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body("info.title", equalTo("ITSM cmdb-service"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/cmdb/cis/{id}/retire"));
    }
}
