package io.itsm.incident;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.itsm.events.CloudEvent;
import io.itsm.events.EventTypes;
import io.itsm.events.Topics;
import io.itsm.testsupport.EventSchemaAssertions;
import io.itsm.testsupport.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;

/** PATCH with JSON Merge Patch, assignment, parent/child resolution, notes, history and the timeline, over HTTP. */
@QuarkusTest
@TestSecurity(user = "sam.agent", roles = "itsm-agent")
class IncidentUpdateApiTest extends IncidentTestResourcesHolder {

    static final String MERGE_PATCH = "application/merge-patch+json";

    static Response patch(String id, String ifMatch, String body) {
        var request = given().contentType(MERGE_PATCH).body(body);
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return request.patch("/api/incidents/" + id);
    }

    static String etag(String id) {
        return IncidentTransitionsResourceTest.etag(id);
    }

    @Test
    void aMergePatchChangesOnlyWhatItNamesAndRemovesNulls() {
        String id = IncidentTransitionsResourceTest.openIncident();
        patch(id, etag(id), "{\"description\":\"Outlook disconnected\",\"category\":\"software\",\"impact\":1}")
                .then().statusCode(200).header("ETag", "\"1\"")
                .body("description", equalTo("Outlook disconnected")).body("category", equalTo("software"))
                .body("impact", equalTo(1)).body("urgency", equalTo(2)).body("priority", equalTo(2))
                .body("caller", equalTo("jane.doe")).body("sla.resolutionTarget", equalTo("PT8H"));
        patch(id, etag(id), "{\"category\":null}").then().statusCode(200).body("category", nullValue())
                .body("description", equalTo("Outlook disconnected"));
        // a patch that changes nothing leaves the version alone
        patch(id, "\"2\"", "{\"impact\":1}").then().statusCode(200).header("ETag", "\"2\"");

        List<CloudEvent> events = TestKafka.events(Topics.INCIDENT_EVENTS, id::equals, 3, Duration.ofSeconds(20));
        assertThat(events).extracting(CloudEvent::type).containsExactly(EventTypes.INCIDENT_CREATED,
                EventTypes.INCIDENT_UPDATED, EventTypes.INCIDENT_UPDATED);
        events.forEach(EventSchemaAssertions::assertMatchesSchema);
        assertThat(events.get(1).dataAsString()).contains("\"field\":\"priority\",\"from\":3,\"to\":2");
    }

    @Test
    void assigningANewIncidentStartsWorkAndPublishesAssigned() {
        String id = IncidentTransitionsResourceTest.openIncident();
        patch(id, etag(id), "{\"assignmentGroup\":\"service-desk\",\"assignee\":\"sam.agent\"}")
                .then().statusCode(200).body("state", equalTo("IN_PROGRESS")).body("assignee", equalTo("sam.agent"))
                .body("respondedAt", org.hamcrest.Matchers.notNullValue()).body("reassignmentCount", equalTo(0));
        patch(id, etag(id), "{\"assignmentGroup\":\"network\",\"assignee\":null}")
                .then().statusCode(200).body("reassignmentCount", equalTo(1)).body("state", equalTo("IN_PROGRESS"));
        List<CloudEvent> events = TestKafka.events(Topics.INCIDENT_EVENTS, id::equals, 3, Duration.ofSeconds(20));
        assertThat(events).extracting(CloudEvent::type).containsExactly(EventTypes.INCIDENT_CREATED,
                EventTypes.INCIDENT_ASSIGNED, EventTypes.INCIDENT_ASSIGNED);
        assertThat(events.get(1).dataAsString()).contains("\"field\":\"state\",\"from\":\"NEW\",\"to\":\"IN_PROGRESS\"");
    }

    @Test
    void patchNeedsACurrentIfMatch() {
        String id = IncidentTransitionsResourceTest.openIncident();
        patch(id, null, "{\"category\":\"x\"}").then().statusCode(428).contentType("application/problem+json");
        patch(id, "\"7\"", "{\"category\":\"x\"}").then().statusCode(412).contentType("application/problem+json");
        patch("6d1f4a52-6c3e-4a5b-9a57-5f4c1b0e7d11", "\"0\"", "{}").then().statusCode(404);
    }

    @Test
    void readOnlyUnknownAndInvalidFieldsAreNamed() {
        String id = IncidentTransitionsResourceTest.openIncident();
        String tag = etag(id);
        patch(id, tag, "{\"state\":\"CLOSED\",\"priority\":1,\"colour\":\"red\"}").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("state", "priority", "colour"))
                .body("errors.find { it.field == 'state' }.message", containsString("transitions"))
                .body("errors.find { it.field == 'colour' }.message", containsString("not a known field"));
        patch(id, tag, "{\"shortDescription\":null}").then().statusCode(400).body("errors[0].field", equalTo("shortDescription"));
        patch(id, tag, "{\"impact\":9}").then().statusCode(400).body("errors[0].field", equalTo("impact"));
        patch(id, tag, "{\"impact\":\"high\"}").then().statusCode(400).body("errors[0].field", equalTo("impact"));
        patch(id, tag, "[1,2]").then().statusCode(400).contentType("application/problem+json");
        patch(id, tag, "{\"configurationItemIds\":[\"6d1f4a52-6c3e-4a5b-9a57-5f4c1b0e7d11\"]}").then().statusCode(422)
                .body("errors[0].field", equalTo("configurationItemIds[0]"));
        patch(id, tag, "{\"parentIncidentId\":\"" + id + "\"}").then().statusCode(422).body("errors[0].field", equalTo("parentIncidentId"));
        given().contentType("text/plain").header("If-Match", tag).body("x").patch("/api/incidents/" + id).then().statusCode(415);
        // nothing was written by the refused requests
        given().get("/api/incidents/" + id).then().header("ETag", tag);
    }

    @Test
    void aClosedIncidentCannotBeEdited() {
        String id = IncidentTransitionsResourceTest.openIncident();
        IncidentTransitionsResourceTest.transition(id, etag(id), "{\"to\":\"CANCELED\"}").then().statusCode(200);
        patch(id, etag(id), "{\"category\":\"x\"}").then().statusCode(409).body("type", equalTo("urn:itsm:problem:incident-final"));
    }

    @Test
    void resolvingAParentCanResolveItsOpenChildren() {
        String parent = IncidentTransitionsResourceTest.openIncident();
        String child = IncidentTransitionsResourceTest.openIncident();
        String resolvedChild = IncidentTransitionsResourceTest.openIncident();
        String grandchild = IncidentTransitionsResourceTest.openIncident();
        patch(child, etag(child), "{\"parentIncidentId\":\"" + parent + "\"}").then().statusCode(200).body("parentIncidentId", equalTo(parent));
        patch(resolvedChild, etag(resolvedChild), "{\"parentIncidentId\":\"" + parent + "\"}").then().statusCode(200);
        IncidentTransitionsResourceTest.transition(resolvedChild, etag(resolvedChild),
                "{\"to\":\"RESOLVED\",\"resolutionCode\":\"DUPLICATE\",\"resolutionNotes\":\"dup\"}").then().statusCode(200);
        // parents are one level deep; a parent cannot become a child
        patch(grandchild, etag(grandchild), "{\"parentIncidentId\":\"" + child + "\"}").then().statusCode(422);
        patch(parent, etag(parent), "{\"parentIncidentId\":\"" + grandchild + "\"}").then().statusCode(422);
        given().get("/api/incidents?parentIncidentId=" + parent).then().statusCode(200).body("id", hasItems(child, resolvedChild));

        IncidentTransitionsResourceTest.transition(parent, etag(parent),
                "{\"to\":\"RESOLVED\",\"resolutionCode\":\"SOLUTION_PROVIDED\",\"resolutionNotes\":\"Core switch replaced\",\"resolveChildren\":true}")
                .then().statusCode(200).body("state", equalTo("RESOLVED"));
        given().get("/api/incidents/" + child).then().body("state", equalTo("RESOLVED"))
                .body("resolutionCode", equalTo("SOLUTION_PROVIDED")).body("resolutionNotes", containsString("Core switch replaced"));
        given().get("/api/incidents/" + resolvedChild).then().body("resolutionCode", equalTo("DUPLICATE"));
        assertThat(TestKafka.events(Topics.INCIDENT_EVENTS, child::equals, 3, Duration.ofSeconds(20)))
                .extracting(CloudEvent::type).endsWith(EventTypes.INCIDENT_RESOLVED);
    }

    @Test
    void withoutResolveChildrenTheChildrenStayOpen() {
        String parent = IncidentTransitionsResourceTest.openIncident();
        String child = IncidentTransitionsResourceTest.openIncident();
        patch(child, etag(child), "{\"parentIncidentId\":\"" + parent + "\"}").then().statusCode(200);
        IncidentTransitionsResourceTest.transition(parent, etag(parent), IncidentTransitionsResourceTest.bodyFor(IncidentState.RESOLVED))
                .then().statusCode(200);
        given().get("/api/incidents/" + child).then().body("state", equalTo("NEW"));
    }

    @Test
    void agentsCannotCancelAMajorIncident() {
        String id = IncidentTransitionsResourceTest.openIncident();
        patch(id, etag(id), "{\"majorIncident\":true}").then().statusCode(200).body("majorIncident", equalTo(true));
        IncidentTransitionsResourceTest.transition(id, etag(id), "{\"to\":\"CANCELED\"}").then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("itsm-admin"));
        given().get("/api/incidents?majorIncident=true").then().body("id", hasItems(id));
    }

    @Test
    void notesHistoryAndTimelineTellTheStory() {
        String id = IncidentTransitionsResourceTest.openIncident();
        given().contentType("application/json").body("{\"visibility\":\"INTERNAL\",\"text\":\"Checking the gateway\"}")
                .post("/api/incidents/" + id + "/notes").then().statusCode(201)
                .body("visibility", equalTo("INTERNAL")).body("author", equalTo("sam.agent"));
        IncidentTransitionsResourceTest.transition(id, etag(id), "{\"to\":\"IN_PROGRESS\"}").then().statusCode(200);
        patch(id, etag(id), "{\"urgency\":1}").then().statusCode(200);
        given().contentType("application/json").body("{\"visibility\":\"CUSTOMER\",\"text\":\"We are on it\"}")
                .post("/api/incidents/" + id + "/notes").then().statusCode(201);
        given().get("/api/incidents/" + id).then().header("ETag", "\"2\""); // notes do not change the version

        given().get("/api/incidents/" + id + "/notes").then().statusCode(200).body("text", equalTo(List.of("Checking the gateway", "We are on it")));
        given().get("/api/incidents/" + id + "/notes?visibility=CUSTOMER").then().body("text", equalTo(List.of("We are on it")));
        given().get("/api/incidents/" + id + "/notes?visibility=SECRET").then().statusCode(400).body("errors[0].field", equalTo("visibility"));
        // a missing enum value is named with the values it takes
        given().contentType("application/json").body("{\"text\":\"no visibility\"}").post("/api/incidents/" + id + "/notes").then()
                .statusCode(400).body("errors[0].field", equalTo("visibility"))
                .body("errors[0].message", equalTo("must not be null: one of INTERNAL, CUSTOMER"));
        given().contentType("application/json").body("{\"visibility\":\"INTERNAL\"}").post("/api/incidents/" + id + "/notes").then()
                .statusCode(400).body("errors[0].field", equalTo("text")).body("errors[0].message", equalTo("must not be blank"));
        given().get("/api/incidents/" + id + "/history").then().statusCode(200)
                .body("eventType", equalTo(List.of(EventTypes.INCIDENT_CREATED, EventTypes.INCIDENT_STATE_CHANGED, EventTypes.INCIDENT_UPDATED)))
                .body("[1].changes[0].field", equalTo("state")).body("[1].changes[0].from", equalTo("NEW"))
                .body("[1].changes[0].to", equalTo("IN_PROGRESS")).body("[2].actor", equalTo("sam.agent"));
        given().get("/api/incidents/" + id + "/timeline").then().statusCode(200)
                .body("kind", equalTo(List.of("CHANGE", "NOTE", "CHANGE", "CHANGE", "NOTE")));
        // the timeline is paged too: two pages of three and two, the same entries in the same order
        String timeline = given().get("/api/incidents/" + id + "/timeline?limit=3&count=true").then().statusCode(200)
                .header("X-Total-Count", "5").body("kind", equalTo(List.of("CHANGE", "NOTE", "CHANGE"))).extract().header("Link");
        given().get(timeline.substring(1, timeline.indexOf('>'))).then().statusCode(200).body("kind", equalTo(List.of("CHANGE", "NOTE")))
                .body("[1].text", equalTo("We are on it")).header("Link", org.hamcrest.Matchers.nullValue());
        given().get("/api/incidents/" + id + "/timeline?cursor=not-a-cursor").then().statusCode(400).body("errors[0].field", equalTo("cursor"));

        // notes and history are paged like every list
        String notes = given().get("/api/incidents/" + id + "/notes?limit=1&count=true").then().statusCode(200).header("X-Total-Count", "2")
                .body("text", equalTo(List.of("Checking the gateway"))).extract().header("Link");
        given().get(notes.substring(1, notes.indexOf('>'))).then().statusCode(200).body("text", equalTo(List.of("We are on it")))
                .header("Link", org.hamcrest.Matchers.nullValue());
        given().get("/api/incidents/" + id + "/notes?visibility=INTERNAL&count=true").then().header("X-Total-Count", "1");
        String history = given().get("/api/incidents/" + id + "/history?limit=2").then().statusCode(200)
                .body("eventType", equalTo(List.of(EventTypes.INCIDENT_CREATED, EventTypes.INCIDENT_STATE_CHANGED))).extract().header("Link");
        given().get(history.substring(1, history.indexOf('>'))).then().statusCode(200).body("eventType", equalTo(List.of(EventTypes.INCIDENT_UPDATED)))
                .header("Link", org.hamcrest.Matchers.nullValue());
        given().get("/api/incidents/" + id + "/history?limit=0").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        given().get("/api/incidents/" + id + "/notes?cursor=" + history.substring(history.indexOf("cursor=") + 7, history.indexOf('>')))
                .then().statusCode(400).body("errors[0].field", equalTo("cursor"));
        given().contentType("application/json").body("{\"visibility\":\"INTERNAL\",\"text\":\" \"}")
                .post("/api/incidents/" + id + "/notes").then().statusCode(400).body("errors[0].field", equalTo("text"));
        given().get("/api/incidents/6d1f4a52-6c3e-4a5b-9a57-5f4c1b0e7d11/timeline").then().statusCode(404);
    }
}
