package io.itsm.incident;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.itsm.events.CloudEvent;
import io.itsm.events.EventTypes;
import io.itsm.events.Topics;
import io.itsm.incident.service.IncidentScheduler;
import io.itsm.testsupport.EventSchemaAssertions;
import io.itsm.testsupport.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

/**
 * The scheduler's SLA events and auto-close, driven by a clock the test moves (no sleeps): each threshold is
 * published exactly once, also when the scheduler runs again (as after a restart, the flags live in the
 * database with the incident).
 */
@QuarkusTest
@TestSecurity(user = "sam.agent", roles = "itsm-agent")
class IncidentSchedulerTest extends IncidentTestResourcesHolder {

    @Inject
    TestClock clock;

    @Inject
    IncidentScheduler scheduler;

    @Test
    void slaWarningAndBreachArePublishedOnceEach() {
        String id = given().contentType(ContentType.JSON)
                .body("{\"shortDescription\":\"Trading floor offline\",\"impact\":1,\"urgency\":1}")
                .post("/api/incidents").then().statusCode(201)
                .body("sla.responseTarget", equalTo("PT15M")).body("sla.resolutionTarget", equalTo("PT4H"))
                .extract().path("id");
        scheduler.runOnce();
        clock.advance(Duration.ofMinutes(12)); // 80 % of the 15-minute response target
        scheduler.runOnce();
        scheduler.runOnce();
        given().get("/api/incidents/" + id).then().body("sla.responseWarning", equalTo(true)).body("sla.responseBreached", equalTo(false));
        clock.advance(Duration.ofMinutes(4));
        scheduler.runOnce();
        scheduler.runOnce();
        given().get("/api/incidents/" + id).then().body("sla.responseBreached", equalTo(true));
        given().get("/api/incidents?slaBreached=true&limit=500").then().body("id", hasItem(id));

        List<CloudEvent> events = TestKafka.events(Topics.INCIDENT_EVENTS, id::equals, 3, Duration.ofSeconds(20));
        assertThat(events).extracting(CloudEvent::type).containsExactly(EventTypes.INCIDENT_CREATED,
                EventTypes.INCIDENT_SLA_WARNING, EventTypes.INCIDENT_SLA_BREACHED);
        events.forEach(EventSchemaAssertions::assertMatchesSchema);
        assertThat(events.get(1).dataAsString()).contains("\"field\":\"sla.responseWarning\",\"from\":false,\"to\":true");
        assertThat(events.get(2).dataAsString()).contains("\"field\":\"sla.responseBreached\",\"from\":false,\"to\":true");
        given().get("/api/incidents/" + id + "/history").then()
                .body("eventType", equalTo(List.of(EventTypes.INCIDENT_CREATED, EventTypes.INCIDENT_SLA_WARNING, EventTypes.INCIDENT_SLA_BREACHED)))
                .body("[2].actor", equalTo("system"));
    }

    @Test
    void onHoldTimeDoesNotCountTowardsResolution() {
        String id = given().contentType(ContentType.JSON)
                .body("{\"shortDescription\":\"Website slow\",\"impact\":1,\"urgency\":2,\"assignee\":\"sam.agent\"}")
                .post("/api/incidents").then().statusCode(201).body("state", equalTo("IN_PROGRESS")).extract().path("id");
        IncidentTransitionsResourceTest.transition(id, IncidentTransitionsResourceTest.etag(id), "{\"to\":\"ON_HOLD\",\"onHoldReason\":\"AWAITING_VENDOR\"}")
                .then().statusCode(200);
        clock.advance(Duration.ofHours(10)); // beyond the 8-hour P2 target, but on hold
        scheduler.runOnce();
        given().get("/api/incidents/" + id).then().body("sla.paused", equalTo(true)).body("sla.resolutionBreached", equalTo(false))
                .body("sla.resolutionWarning", equalTo(false));
        IncidentTransitionsResourceTest.transition(id, IncidentTransitionsResourceTest.etag(id), "{\"to\":\"IN_PROGRESS\"}").then().statusCode(200);
        scheduler.runOnce();
        given().get("/api/incidents/" + id).then().body("sla.paused", equalTo(false)).body("sla.resolutionWarning", equalTo(false));
        // The resolution is the marker: events of one incident keep their order, so a warning or breach published by
        // either pass would come before it, among the first four.
        IncidentTransitionsResourceTest.transition(id, IncidentTransitionsResourceTest.etag(id),
                IncidentTransitionsResourceTest.bodyFor(IncidentState.RESOLVED)).then().statusCode(200);
        assertThat(TestKafka.events(Topics.INCIDENT_EVENTS, id::equals, 4, Duration.ofSeconds(20)))
                .extracting(CloudEvent::type).containsExactly(EventTypes.INCIDENT_CREATED, EventTypes.INCIDENT_STATE_CHANGED,
                        EventTypes.INCIDENT_STATE_CHANGED, EventTypes.INCIDENT_RESOLVED);
    }

    @Test
    void resolvedIncidentsCloseThemselvesAfterTheConfiguredTime() {
        String id = IncidentTransitionsResourceTest.openIncident();
        IncidentTransitionsResourceTest.transition(id, IncidentTransitionsResourceTest.etag(id),
                IncidentTransitionsResourceTest.bodyFor(IncidentState.RESOLVED)).then().statusCode(200);
        clock.advance(Duration.ofDays(6));
        scheduler.runOnce();
        given().get("/api/incidents/" + id).then().body("state", equalTo("RESOLVED"));
        clock.advance(Duration.ofDays(1).plusMinutes(1));
        scheduler.runOnce();
        given().get("/api/incidents/" + id).then().body("state", equalTo("CLOSED"));
        given().get("/api/incidents/" + id + "/history").then().body("eventType[-1]", equalTo(EventTypes.INCIDENT_CLOSED))
                .body("actor[-1]", equalTo("system"));
    }
}
