package io.itsm.incident;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.itsm.events.CloudEvent;
import io.itsm.events.KafkaCloudEvents;
import io.itsm.events.Topics;
import io.itsm.testsupport.EventSchemaAssertions;
import io.itsm.testsupport.RawHttp;
import io.itsm.testsupport.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
@TestSecurity(user = "sam.agent", roles = "itsm-agent")
class IncidentResourceTest extends IncidentTestResourcesHolder {

    @Test
    void opensAnIncidentWithADerivedPriorityAndPublishesTheCreatedEvent() {
        Response created = given().contentType(ContentType.JSON)
                .body("""
                        {"shortDescription":"Email is down","caller":"jane.doe","impact":2,"urgency":1}""")
                .post("/api/incidents")
                .then().statusCode(201)
                .header("Location", matchesPattern(".*/api/incidents/[0-9a-f-]{36}$"))
                .header("ETag", "\"0\"")
                .body("number", matchesPattern("INC\\d{7}"))
                .body("priority", equalTo(2))
                .body("state", equalTo("NEW"))
                .body("version", equalTo(0))
                .extract().response();
        String id = created.path("id");

        given().get("/api/incidents/" + id).then().statusCode(200).header("ETag", "\"0\"")
                .body("shortDescription", equalTo("Email is down")).body("openedAt", notNullValue());
        given().get("/api/incidents?limit=5").then().statusCode(200).body("id", hasItem(id));

        List<CloudEvent> events = TestKafka.records(Topics.INCIDENT_EVENTS, 1_000, Duration.ofSeconds(3)).stream()
                .map(IncidentResourceTest::event).filter(e -> e.subject().equals(id)).toList();
        assertThat(events).hasSize(1);
        CloudEvent event = events.get(0);
        assertThat(event.type()).isEqualTo("itsm.incident.created");
        assertThat(event.source().toString()).isEqualTo("/itsm/incident-service");
        assertThat(event.dataschema().toString()).isEqualTo("urn:itsm:schema:incident-event:1");
        assertThat(event.dataAsString()).contains("\"number\":\"" + created.path("number") + "\"").contains("\"changes\":[]");
        EventSchemaAssertions.assertMatchesSchema(event);
    }

    @Test
    void everyInvalidFieldIsNamedInAProblem() {
        given().contentType(ContentType.JSON).body("""
                        {"shortDescription":"","impact":4,"urgency":0}""")
                .post("/api/incidents")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:itsm:problem:validation-failed"))
                .body("status", equalTo(400))
                .body("instance", equalTo("/api/incidents"))
                .body("errors.field", equalTo(List.of("impact", "shortDescription", "urgency")));
        given().contentType(ContentType.JSON).body("{}").post("/api/incidents")
                .then().statusCode(400).body("errors.field", equalTo(List.of("impact", "shortDescription", "urgency")));
        given().contentType(ContentType.JSON).body("{\"shortDescription\":\"" + "x".repeat(161) + "\",\"impact\":1,\"urgency\":1}")
                .post("/api/incidents").then().statusCode(400).body("errors[0].field", equalTo("shortDescription"))
                .body("errors[0].message", containsString("160"));
    }

    @Test
    void aFieldTheResourceDoesNotHaveIsRefusedByNameAndNothingIsWritten() {
        int before = incidentCount();
        // a misspelt field (the list is configurationItemIds) was dropped without a word, and the incident created without it
        given().contentType(ContentType.JSON).body("""
                        {"shortDescription":"Web down","impact":1,"urgency":1,"configurationItems":["6d1f4a52-6c3e-4a5b-9a57-5f4c1b0e7d11"]}""")
                .post("/api/incidents")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:itsm:problem:malformed-request"))
                .body("errors.field", equalTo(List.of("configurationItems")))
                .body("errors[0].message", startsWith("is not a known field; the fields here are "))
                .body("errors[0].message", containsString(" configurationItemIds, "));
        given().contentType(ContentType.JSON).body("{\"shortDescription\":\"x\",\"impact\":1,\"urgency\":1,\"assigned_to\":\"sam\"}")
                .post("/api/incidents").then().statusCode(400).body("errors[0].field", equalTo("assigned_to"));
        assertThat(incidentCount()).isEqualTo(before);

        String id = IncidentTransitionsResourceTest.openIncident();
        String tag = IncidentTransitionsResourceTest.etag(id);
        IncidentTransitionsResourceTest.transition(id, tag, "{\"to\":\"IN_PROGRESS\",\"asignee\":\"sam.agent\"}")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("asignee"));
        given().get("/api/incidents/" + id).then().header("ETag", tag).body("state", equalTo("NEW"));
    }

    private static int incidentCount() {
        return Integer.parseInt(given().queryParam("count", true).get("/api/incidents").then().statusCode(200)
                .extract().header("X-Total-Count"));
    }

    @Test
    void unreadableBodiesAreProblemsNamingTheField() {
        given().contentType(ContentType.JSON).body("{\"shortDescription\": ").post("/api/incidents")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("body"));
        given().contentType(ContentType.JSON).body("{\"shortDescription\":\"x\",\"impact\":\"high\",\"urgency\":1}")
                .post("/api/incidents").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("impact")).body("errors[0].message", containsString("number"));
        given().contentType(ContentType.JSON).body("{\"shortDescription\":\"x\",\"impact\":1,\"urgency\":1,\"configurationItemIds\":[\"nope\"]}")
                .post("/api/incidents").then().statusCode(400).body("errors[0].field", equalTo("configurationItemIds[0]"));
        given().contentType(ContentType.JSON).body("[]").post("/api/incidents")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void whatTheHttpLayerRefusesBeforeAnyResourceIsAProblemToo() {
        RawHttp.Answer noHost = RawHttp.send(RestAssured.port, "GET /api/incidents HTTP/1.1\r\nConnection: close\r\n\r\n");
        assertThat(noHost.status()).isEqualTo(400);
        assertThat(noHost.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(noHost.body()).contains("\"detail\":\"For HTTP/1.x requests, the 'Host' header is required\"",
                "\"instance\":\"/api/incidents\"");

        // answered from the headers alone: the body is never sent
        RawHttp.Answer tooLarge = RawHttp.send(RestAssured.port, "POST /api/incidents HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 999999999\r\n\r\n");
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(tooLarge.body()).contains("\"detail\":\"The request body is larger than 10485760 bytes\"");
    }

    /** Inputs the bad-input fuzzer once got a 500 for (e2e-tests fuzz-regressions.jsonl). */
    @Test
    void duplicateKeysNulCharactersAndNonMediaTypesAreProblemsNot500s() {
        String id = given().contentType(ContentType.JSON).body("{\"shortDescription\":\"fuzzed\",\"impact\":3,\"urgency\":3}")
                .post("/api/incidents").then().statusCode(201).extract().path("id");
        given().contentType(ContentType.JSON).body("{\"text\":1,\"text\":\"a note\",\"visibility\":\"INTERNAL\"}")
                .post("/api/incidents/" + id + "/notes")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("body")).body("errors[0].message", containsString("Duplicate field 'text'"));
        given().contentType(ContentType.JSON).body("{\"shortDescription\":\"a\\u0000b\",\"impact\":3,\"urgency\":3}")
                .post("/api/incidents").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("shortDescription"))
                .body("errors[0].message", equalTo("must not contain the NUL character (U+0000)"));
        given().urlEncodingEnabled(false).get("/api/incidents?caller=%00").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("caller"));
        given().contentType("garbage").body("{}".getBytes(StandardCharsets.UTF_8)).post("/api/incidents")
                .then().statusCode(415).contentType("application/problem+json")
                .body("errors[0].field", equalTo("Content-Type"));
        given().get("/api/incidents/" + id + "/notes").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void wrongMethodsPathsAndMediaTypesAreProblemsToo() {
        given().contentType(ContentType.TEXT).body("hello").post("/api/incidents")
                .then().statusCode(415).contentType("application/problem+json").body("status", equalTo(415));
        given().get("/api/incidents/6d1f4a52-6c3e-4a5b-9a57-5f4c1b0e7d11")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("6d1f4a52-6c3e-4a5b-9a57-5f4c1b0e7d11"));
        given().get("/api/nothing-here").then().statusCode(404).contentType("application/problem+json");
        given().delete("/api/incidents").then().statusCode(405).contentType("application/problem+json");
        given().get("/api/incidents?limit=0").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("limit"));
    }

    @Test
    void allowNamesTheMethodsOfTheRequestedPathOnly() {
        String item = "/api/incidents/6d1f4a52-6c3e-4a5b-9a57-5f4c1b0e7d11";
        given().delete("/api/incidents").then().statusCode(405).contentType("application/problem+json")
                .header("Allow", "GET, HEAD, OPTIONS, POST");
        given().options("/api/incidents").then().statusCode(200).header("Allow", "GET, HEAD, OPTIONS, POST");
        given().delete(item).then().statusCode(405).header("Allow", "GET, HEAD, OPTIONS, PATCH");
        given().options(item).then().statusCode(200).header("Allow", "GET, HEAD, OPTIONS, PATCH");
        given().options(item + "/transitions").then().statusCode(200).header("Allow", "GET, HEAD, OPTIONS, POST");
        // RESTEasy answered 404 here: another resource class also serves /api/incidents/{id}
        given().put(item + "/notes").then().statusCode(405).contentType("application/problem+json")
                .body("status", equalTo(405)).header("Allow", "GET, HEAD, OPTIONS, POST");
        // an allowed method keeps its answer: a missing incident is a 404, an id that is no UUID not a 405
        given().get(item + "/notes").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/incidents/not-a-uuid").then().statusCode(org.hamcrest.Matchers.not(405));
    }

    @Test
    void openApiAndHealthAreServed() {
        given().get("/q/openapi?format=json").then().statusCode(200).body("paths", notNullValue())
                .body(containsString("/api/incidents"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("outbox"))
                .body(containsString("Database connections health check"))
                .body(not(containsString("Kafka")));
        // the broker is a wellness check: in /q/health, never in readiness
        given().get("/q/health").then().statusCode(200)
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("UP"));
    }

    static CloudEvent event(ConsumerRecord<String, byte[]> record) {
        return KafkaCloudEvents.fromRecord(record.headers(), record.value());
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
