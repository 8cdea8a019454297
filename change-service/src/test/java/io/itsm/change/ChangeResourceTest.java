package io.itsm.change;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.itsm.events.CloudEvent;
import io.itsm.events.KafkaCloudEvents;
import io.itsm.events.Topics;
import io.itsm.testsupport.KafkaTestResource;
import io.itsm.testsupport.PostgresTestResource;
import io.itsm.testsupport.EventSchemaAssertions;
import io.itsm.testsupport.TestKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = "topics", value = "itsm.change.events"))
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "change"))
class ChangeResourceTest {

    @Test
    void raisesAChangeAndPublishesTheCreatedEvent() {
        String id = given().contentType(ContentType.JSON).body("""
                        {"type":"NORMAL","shortDescription":"Patch mail cluster","plannedStart":"2026-12-01T22:00:00Z","plannedEnd":"2026-12-01T23:30:00Z"}""")
                .post("/api/changes")
                .then().statusCode(201).header("ETag", "\"0\"")
                .header("Location", matchesPattern(".*/api/changes/[0-9a-f-]{36}$"))
                .body("number", matchesPattern("CHG\\d{7}")).body("state", equalTo("NEW"))
                .body("plannedEnd", equalTo("2026-12-01T23:30:00Z"))
                .extract().path("id");
        given().get("/api/changes/" + id).then().statusCode(200).header("ETag", "\"0\"").body("type", equalTo("NORMAL"));
        given().get("/api/changes").then().statusCode(200).body("id", hasItem(id));

        List<CloudEvent> events = TestKafka.records(Topics.CHANGE_EVENTS, 1_000, Duration.ofSeconds(3)).stream()
                .map(r -> KafkaCloudEvents.fromRecord(r.headers(), r.value())).filter(e -> e.subject().equals(id)).toList();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("itsm.change.created");
            assertThat(e.source().toString()).isEqualTo("/itsm/change-service");
            assertThat(e.dataAsString()).contains("\"change\":{\"id\":\"" + id + "\"");
            EventSchemaAssertions.assertMatchesSchema(e);
        });
    }

    @Test
    void invalidChangesAreProblems() {
        given().contentType(ContentType.JSON).body("{\"type\":\"SOMETIMES\",\"shortDescription\":\"x\"}").post("/api/changes")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("type")).body("errors[0].message", containsString("NORMAL"));
        given().contentType(ContentType.JSON).body("{\"shortDescription\":\" \"}").post("/api/changes")
                .then().statusCode(400).body("errors.field", equalTo(List.of("shortDescription", "type")));
        given().contentType(ContentType.JSON).body("{\"type\":\"NORMAL\",\"shortDescription\":\"x\",\"plannedStart\":\"tomorrow\"}")
                .post("/api/changes").then().statusCode(400).body("errors[0].field", equalTo("plannedStart"))
                .body("errors[0].message", containsString("ISO-8601"));
        given().contentType(ContentType.JSON).body("""
                        {"type":"NORMAL","shortDescription":"x","plannedStart":"2026-12-01T23:00:00Z","plannedEnd":"2026-12-01T22:00:00Z"}""")
                .post("/api/changes").then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("plannedEnd"));
        given().get("/api/changes/00000000-0000-0000-0000-000000000000").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void healthListsTheDatabaseKafkaAndTheOutbox() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("outbox")).body(containsString("Kafka"))
                .body(containsString("Database connections health check"));
    }
}
