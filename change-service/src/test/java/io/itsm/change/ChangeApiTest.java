package io.itsm.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.itsm.events.CloudEvent;
import io.itsm.events.Topics;
import io.itsm.rest.postgres.PostgresIdempotencyStore;
import io.itsm.testsupport.EventSchemaAssertions;
import io.itsm.testsupport.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** A change's life over HTTP, with its events on the real Kafka and its history. */
@QuarkusTest
class ChangeApiTest extends ChangeTestResourcesHolder {

    @Inject
    PostgresIdempotencyStore idempotencyKeys;

    private static List<String> eventTypes(String id, int atLeast) {
        return TestKafka.events(Topics.CHANGE_EVENTS, id::equals, atLeast, Duration.ofSeconds(10)).stream().map(CloudEvent::type).toList();
    }

    @Test
    void aNormalChangeGoesThroughItsWholeLife() {
        UUID ci = UUID.randomUUID();
        String id = as(AGENT).contentType(ContentType.JSON).body(complete(ci, "2026-12-05T22:00:00Z", "2026-12-05T23:30:00Z"))
                .post("/api/changes").then().statusCode(201).header("ETag", "\"0\"")
                .header("Location", matchesPattern(".*/api/changes/[0-9a-f-]{36}$"))
                .body("number", matchesPattern("CHG\\d{7}")).body("state", equalTo("NEW")).body("requestedBy", equalTo("sam.agent"))
                .body("risk", equalTo("LOW")).body("riskScore", equalTo(15)).body("riskFactors.name", equalTo(List.of("changeType", "ciCount")))
                .body("approvalStatus.required", equalTo(List.of("1 x itsm-change-manager")))
                .extract().path("id");

        as(AGENT).get("/api/changes/" + id + "/transitions").then().statusCode(200)
                .body("current", equalTo("NEW")).body("allowed", equalTo(List.of("CANCELED")));
        as(MANAGER).get("/api/changes/" + id + "/transitions").then().body("allowed", equalTo(List.of("ASSESS", "CANCELED")));

        move(MANAGER, id, "ASSESS", "", 200).header("ETag", "\"1\"");
        move(MANAGER, id, "AUTHORIZE", "", 200).body("state", equalTo("AUTHORIZE"));
        move(MANAGER, id, "SCHEDULED", "", 409).contentType("application/problem+json")
                .body("errors[0].field", equalTo("approvals")).body("detail", containsString("1 more approval by itsm-change-manager"));
        as(MANAGER).contentType(ContentType.JSON).body("{\"decision\":\"APPROVED\",\"comment\":\"fine\"}").post("/api/changes/" + id + "/approvals")
                .then().statusCode(200).body("approvalStatus.satisfied", equalTo(true))
                .body("approvals[0].approver", equalTo("max.manager")).body("approvals[0].role", equalTo("itsm-change-manager"));
        move(MANAGER, id, "SCHEDULED", "", 200).body("conflicts", hasSize(0));
        move(AGENT, id, "IMPLEMENT", "", 200).body("actualStart", notNullValue());
        move(AGENT, id, "REVIEW", "", 200).body("actualEnd", notNullValue());
        move(AGENT, id, "CLOSED", "\"closeCode\":\"SUCCESSFUL\",\"closeNotes\":\"mail flows\"", 200)
                .body("state", equalTo("CLOSED")).body("closeCode", equalTo("SUCCESSFUL"));
        move(AGENT, id, "CANCELED", "", 409).body("detail", containsString("can no longer change"));

        List<CloudEvent> events = TestKafka.events(Topics.CHANGE_EVENTS, id::equals, 8, Duration.ofSeconds(10));
        assertThat(events).extracting(CloudEvent::type).containsExactly("itsm.change.created", "itsm.change.state-changed",
                "itsm.change.state-changed", "itsm.change.approval-recorded", "itsm.change.scheduled", "itsm.change.state-changed",
                "itsm.change.implemented", "itsm.change.closed");
        events.forEach(EventSchemaAssertions::assertMatchesSchema);
        assertThat(events.get(events.size() - 1).dataAsString()).contains("\"closeCode\":\"SUCCESSFUL\"").contains("\"version\":7");

        as(READER).get("/api/changes/" + id + "/history").then().statusCode(200).body("", hasSize(8))
                .body("actor", equalTo(List.of("sam.agent", "max.manager", "max.manager", "max.manager", "max.manager", "sam.agent", "sam.agent", "sam.agent")))
                .body("[1].changes[0].field", equalTo("state")).body("[1].changes[0].from", equalTo("NEW")).body("[1].changes[0].to", equalTo("ASSESS"));
        // paged like every list
        String link = as(READER).get("/api/changes/" + id + "/history?limit=5&count=true").then().statusCode(200).header("X-Total-Count", "8")
                .body("eventType", equalTo(List.of("itsm.change.created", "itsm.change.state-changed", "itsm.change.state-changed",
                        "itsm.change.approval-recorded", "itsm.change.scheduled"))).extract().header("Link");
        as(READER).get(link.substring(1, link.indexOf('>'))).then().statusCode(200).header("Link", nullValue())
                .body("eventType", equalTo(List.of("itsm.change.state-changed", "itsm.change.implemented", "itsm.change.closed")));
        as(READER).get("/api/changes/" + id + "/history?cursor=nonsense").then().statusCode(400).body("errors[0].field", equalTo("cursor"));
        as(READER).get("/api/changes/" + id + "/approvals").then().statusCode(200).body("decision", equalTo(List.of("APPROVED")));
    }

    @Test
    void guardsAndRolesAnswerWithWhatIsMissing() {
        String id = raise(AGENT, "{\"type\":\"NORMAL\",\"shortDescription\":\"Bare\"}");
        move(AGENT, id, "ASSESS", "", 403).contentType("application/problem+json").body("detail", containsString("itsm-change-manager"));
        move(MANAGER, id, "ASSESS", "", 200);
        move(MANAGER, id, "AUTHORIZE", "", 409).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("implementationPlan", "backoutPlan", "testPlan", "configurationItemIds", "plannedStart")));
        move(MANAGER, id, "IMPLEMENT", "", 409).body("detail", equalTo("a NORMAL change in state ASSESS cannot move to IMPLEMENT; allowed next states: AUTHORIZE, CANCELED"));
        move(MANAGER, id, "SOMEWHERE", "", 400).body("errors[0].field", equalTo("to"));
        as(MANAGER).contentType(ContentType.JSON).body("{\"to\":\"AUTHORIZE\"}").post("/api/changes/" + id + "/transitions")
                .then().statusCode(428).contentType("application/problem+json");
        as(MANAGER).header("If-Match", "\"0\"").contentType(ContentType.JSON).body("{\"to\":\"AUTHORIZE\"}").post("/api/changes/" + id + "/transitions")
                .then().statusCode(412).contentType("application/problem+json");
        as(CAB_1).contentType(ContentType.JSON).body("{\"decision\":\"APPROVED\"}").post("/api/changes/" + id + "/approvals")
                .then().statusCode(409).body("detail", containsString("approvals are decided in AUTHORIZE"));
    }

    @Test
    void aCabRejectionReturnsTheChangeToNew() {
        UUID ci = UUID.randomUUID();
        // Monday 10:00 UTC, in business hours: NORMAL 10 + 1 CI 5 + business hours 15 = 30, MODERATE → two CAB members
        String id = raise(AGENT, complete(ci, "2026-12-07T10:00:00Z", "2026-12-07T11:00:00Z"));
        as(READER).get("/api/changes/" + id).then().body("risk", equalTo("MODERATE")).body("approvalStatus.required", equalTo(List.of("2 x itsm-cab")));
        move(MANAGER, id, "ASSESS", "", 200);
        move(MANAGER, id, "AUTHORIZE", "", 200);
        approve(CAB_1, id);
        as(CAB_1).contentType(ContentType.JSON).body("{\"decision\":\"APPROVED\"}").post("/api/changes/" + id + "/approvals")
                .then().statusCode(409).body("detail", containsString("already decided"));
        as(MANAGER).contentType(ContentType.JSON).body("{\"decision\":\"APPROVED\"}").post("/api/changes/" + id + "/approvals")
                .then().statusCode(403).body("detail", containsString("2 x itsm-cab"));
        as(CAB_2).contentType(ContentType.JSON).body("{\"decision\":\"REJECTED\",\"comment\":\"month-end close\"}").post("/api/changes/" + id + "/approvals")
                .then().statusCode(200).body("state", equalTo("NEW")).body("rejectionReason", equalTo("cole.cab: month-end close"))
                .body("approvalStatus.round", equalTo(2)).body("approvalStatus.missing", equalTo(List.of("2 more approvals by itsm-cab")));
        assertThat(eventTypes(id, 5)).endsWith("itsm.change.approval-recorded", "itsm.change.approval-recorded");
    }

    @Test
    void overlappingChangesOnTheSameCiConflict() {
        UUID ci = UUID.randomUUID();
        String first = raise(AGENT, complete(ci, "2026-12-12T22:00:00Z", "2026-12-12T23:30:00Z"));
        String second = raise(AGENT, complete(ci, "2026-12-12T23:00:00Z", "2026-12-13T00:30:00Z"));
        String elsewhere = raise(AGENT, complete(UUID.randomUUID(), "2026-12-12T23:00:00Z", "2026-12-13T00:30:00Z"));
        for (String id : List.of(first, second)) {
            move(MANAGER, id, "ASSESS", "", 200);
            move(MANAGER, id, "AUTHORIZE", "", 200);
            approve(MANAGER, id);
        }
        move(MANAGER, first, "SCHEDULED", "", 200);

        as(READER).get("/api/changes/" + second + "/conflicts").then().statusCode(200).body("", hasSize(1))
                .body("[0].kind", equalTo("CHANGE")).body("[0].changeId", equalTo(first)).body("[0].configurationItemId", equalTo(ci.toString()));
        as(READER).get("/api/changes/" + second).then().body("conflicts", hasSize(1));
        as(READER).get("/api/changes/" + elsewhere + "/conflicts").then().body("", hasSize(0));
        assertThat(eventTypes(second, 5)).contains("itsm.change.conflict-detected");

        move(MANAGER, second, "SCHEDULED", "", 409).body("errors[0].field", equalTo("conflicts"))
                .body("detail", containsString("also changes CI " + ci));
        move(MANAGER, second, "SCHEDULED", "\"conflictOverride\":\"same team, coordinated\"", 200)
                .body("state", equalTo("SCHEDULED")).body("conflictOverride", equalTo("same team, coordinated"));

        move(MANAGER, first, "CANCELED", "", 200);
        as(READER).get("/api/changes/" + second).then().body("conflicts", hasSize(0));
    }

    @Test
    void updatesUseMergePatchAndReassessTheRisk() {
        UUID ci = UUID.randomUUID();
        String id = raise(AGENT, complete(ci, "2026-12-05T22:00:00Z", "2026-12-05T23:30:00Z"));
        as(AGENT).contentType("application/merge-patch+json").body("{\"assignee\":\"kim\"}").patch("/api/changes/" + id)
                .then().statusCode(428).contentType("application/problem+json");
        as(AGENT).header("If-Match", "\"7\"").contentType("application/merge-patch+json").body("{\"assignee\":\"kim\"}").patch("/api/changes/" + id)
                .then().statusCode(412);
        as(AGENT).header("If-Match", "\"0\"").contentType("application/merge-patch+json").body("{\"state\":\"CLOSED\",\"risk\":\"LOW\",\"colour\":1}")
                .patch("/api/changes/" + id).then().statusCode(400).body("errors.field", equalTo(List.of("state", "risk", "colour")));
        as(AGENT).header("If-Match", "\"0\"").contentType("application/merge-patch+json").body("{\"shortDescription\":null}")
                .patch("/api/changes/" + id).then().statusCode(400).body("errors[0].field", equalTo("shortDescription"));
        as(AGENT).header("If-Match", "\"0\"").contentType("application/merge-patch+json")
                .body("{\"plannedStart\":\"2026-12-07T10:00:00Z\",\"plannedEnd\":\"2026-12-07T11:00:00Z\",\"description\":\"moved\"}")
                .patch("/api/changes/" + id).then().statusCode(200).header("ETag", "\"1\"")
                .body("risk", equalTo("MODERATE")).body("riskFactors.name", hasItem("businessHours")).body("description", equalTo("moved"));
        assertThat(eventTypes(id, 3)).containsExactly("itsm.change.created", "itsm.change.updated", "itsm.change.risk-changed");
        as(AGENT).header("If-Match", "\"1\"").contentType("application/merge-patch+json").body("{\"description\":\"moved\"}")
                .patch("/api/changes/" + id).then().statusCode(200).header("ETag", "\"1\"");
        as(AGENT).header("If-Match", "\"1\"").contentType("application/merge-patch+json").body("{\"plannedEnd\":\"2026-12-07T09:00:00Z\"}")
                .patch("/api/changes/" + id).then().statusCode(422).body("errors[0].field", equalTo("plannedEnd"));
    }

    @Test
    void invalidChangesAreProblems() {
        as(AGENT).contentType(ContentType.JSON).body("{\"type\":\"SOMETIMES\",\"shortDescription\":\"x\"}").post("/api/changes")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("type")).body("errors[0].message", containsString("NORMAL"));
        as(AGENT).contentType(ContentType.JSON).body("{\"shortDescription\":\" \"}").post("/api/changes")
                .then().statusCode(400).body("errors.field", equalTo(List.of("type")));
        as(AGENT).contentType(ContentType.JSON).body("{\"type\":\"NORMAL\",\"shortDescription\":\" \"}").post("/api/changes")
                .then().statusCode(400).body("errors.field", equalTo(List.of("shortDescription")));
        as(AGENT).contentType(ContentType.JSON).body("{\"type\":\"NORMAL\",\"templateId\":\"" + UUID.randomUUID() + "\",\"shortDescription\":\"x\"}")
                .post("/api/changes").then().statusCode(422).body("errors[0].field", equalTo("templateId"));
        as(AGENT).contentType(ContentType.JSON).body("{\"type\":\"NORMAL\",\"shortDescription\":\"x\",\"plannedStart\":\"tomorrow\"}")
                .post("/api/changes").then().statusCode(400).body("errors[0].field", equalTo("plannedStart"));
        as(AGENT).contentType(ContentType.JSON).body("{\"type\":\"STANDARD\",\"shortDescription\":\"x\"}").post("/api/changes")
                .then().statusCode(422).body("errors[0].field", equalTo("templateId")).body("detail", containsString("template"));
        as(AGENT).contentType(ContentType.JSON).body("""
                        {"type":"NORMAL","shortDescription":"x","plannedStart":"2026-12-01T23:00:00Z","plannedEnd":"2026-12-01T22:00:00Z"}""")
                .post("/api/changes").then().statusCode(422).contentType("application/problem+json").body("errors[0].field", equalTo("plannedEnd"));
        // a misspelt field was dropped without a word: a change "scheduled" at a time it would never hold
        as(AGENT).contentType(ContentType.JSON).body("{\"type\":\"NORMAL\",\"shortDescription\":\"x\",\"plannedStartAt\":\"2026-12-01T22:00:00Z\"}")
                .post("/api/changes").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("plannedStartAt"))).body("errors[0].message", containsString(" plannedStart, "));
        as(READER).get("/api/changes/00000000-0000-0000-0000-000000000000").then().statusCode(404).contentType("application/problem+json");
        as(READER).get("/api/changes/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void anIdempotencyKeyMakesRetriesSafe() {
        String key = UUID.randomUUID().toString();
        String body = "{\"type\":\"EMERGENCY\",\"shortDescription\":\"Restore the payment API\"}";
        String id = as(AGENT).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body).post("/api/changes")
                .then().statusCode(201).extract().path("id");
        as(AGENT).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body).post("/api/changes")
                .then().statusCode(201).header("ETag", "\"0\"").body("id", equalTo(id));
        as(AGENT).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body.replace("payment", "billing")).post("/api/changes")
                .then().statusCode(422).contentType("application/problem+json");
        assertThat(eventTypes(id, 1)).containsExactly("itsm.change.created");
    }

    @Test
    void theHousekeepingPurgeForgetsOldIdempotencyKeysInATransactionOfItsOwn() {
        String key = UUID.randomUUID().toString();
        String body = "{\"type\":\"NORMAL\",\"shortDescription\":\"Rotate the certificates\"}";
        String first = as(AGENT).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body).post("/api/changes")
                .then().statusCode(201).extract().path("id");
        // called as the scheduler calls it: outside any transaction
        idempotencyKeys.purgeOlderThan(Duration.ZERO);
        String second = as(AGENT).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body).post("/api/changes")
                .then().statusCode(201).extract().path("id");
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void listsFilterSortAndPage() {
        String marker = "marker-" + UUID.randomUUID();
        String emergency = raise(AGENT, "{\"type\":\"EMERGENCY\",\"shortDescription\":\"" + marker + " one\"}");
        raise(AGENT, "{\"type\":\"NORMAL\",\"shortDescription\":\"" + marker + " two\"}");
        raise(AGENT, "{\"type\":\"NORMAL\",\"shortDescription\":\"" + marker + " three\"}");
        as(READER).get("/api/changes?q=" + marker + "&type=EMERGENCY").then().statusCode(200).body("id", equalTo(List.of(emergency)));
        String next = as(READER).get("/api/changes?q=" + marker + "&limit=2&count=true&sort=number").then().statusCode(200)
                .header("X-Total-Count", "3").body("shortDescription", equalTo(List.of(marker + " one", marker + " two")))
                .extract().header("Link");
        assertThat(next).contains("rel=\"next\"");
        String url = next.substring(next.indexOf('<') + 1, next.indexOf('>'));
        as(READER).get(url).then().statusCode(200).body("shortDescription", equalTo(List.of(marker + " three"))).header("Link", nullValue());
        String number = as(READER).get("/api/changes/" + emergency).then().extract().path("number");
        as(READER).get("/api/changes?number=" + number).then().statusCode(200).body("id", equalTo(List.of(emergency)));
        as(READER).get("/api/changes?number=" + number.toLowerCase() + "&type=NORMAL").then().statusCode(200).body("id", equalTo(List.of()));
        as(READER).get("/api/changes?number=INC0010001").then().statusCode(400).body("errors[0].field", equalTo("number"));
        as(READER).get("/api/changes?state=LATER").then().statusCode(400).body("errors[0].field", equalTo("state"));
        as(READER).get("/api/changes?sort=colour").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void readinessListsTheDatabaseAndTheOutboxAndWellnessKafka() {
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("outbox")).body("checks.name", hasItem("Database connections health check"))
                .body(not(containsString("Kafka")))
                .body("checks.find { it.name == 'SmallRye Reactive Messaging - readiness check' }.data", nullValue());
        io.restassured.RestAssured.given().get("/q/health").then().statusCode(200)
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("UP"));
    }
}
