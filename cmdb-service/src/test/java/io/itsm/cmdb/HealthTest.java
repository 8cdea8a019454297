package io.itsm.cmdb;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.Test;

import io.itsm.testsupport.KafkaTestResource;
import io.itsm.testsupport.MongoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Readiness reflects MongoDB, Kafka and the outbox; the API documents itself. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoTestResource.class, restrictToAnnotatedClass = false)
class HealthTest {

    @Test
    void readinessListsMongoKafkaAndTheOutbox() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("MongoDB connection health check", "Kafka connection health check", "outbox"));
    }

    @Test
    void theOpenApiDocumentDescribesTheCiApi() {
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body("info.title", equalTo("ITSM cmdb-service"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/cmdb/cis/{id}/retire"));
    }
}
