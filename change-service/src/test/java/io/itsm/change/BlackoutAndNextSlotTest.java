package io.itsm.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.itsm.events.CloudEvent;
import io.itsm.events.Topics;
import io.itsm.testsupport.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Blackout windows, the conflicts they cause and lift, and the next-slot search around them and other changes. */
@QuarkusTest
class BlackoutAndNextSlotTest extends ChangeTestResourcesHolder {

    private static String blackout(String body) {
        return as(MANAGER).contentType(ContentType.JSON).body(body).post("/api/changes/blackout-windows")
                .then().statusCode(201).header("ETag", "\"0\"").extract().path("id");
    }

    /** Raises a change and takes it to AUTHORIZE with the one approval a LOW-risk change needs. */
    private static String authorized(UUID ci, String start, String end) {
        String id = raise(AGENT, complete(ci, start, end));
        move(MANAGER, id, "ASSESS", "", 200);
        move(MANAGER, id, "AUTHORIZE", "", 200);
        approve(MANAGER, id);
        return id;
    }

    @Test
    void aBlackoutWindowConflictsWithTheChangesPlannedInItUntilItIsLifted() {
        UUID ci = UUID.randomUUID();
        String change = authorized(ci, "2027-02-06T22:00:00Z", "2027-02-06T23:00:00Z");
        String other = authorized(UUID.randomUUID(), "2027-02-06T22:00:00Z", "2027-02-06T23:00:00Z");
        String window = blackout("{\"name\":\"Storage migration\",\"startsAt\":\"2027-02-06T20:00:00Z\",\"endsAt\":\"2027-02-07T02:00:00Z\","
                + "\"configurationItemIds\":[\"" + ci + "\"]}");

        as(READER).get("/api/changes/" + change).then().body("conflicts", hasSize(1)).body("conflicts[0].kind", equalTo("BLACKOUT"))
                .body("conflicts[0].blackoutWindowId", equalTo(window)).body("conflicts[0].reason", containsString("Storage migration"));
        as(READER).get("/api/changes/" + other + "/conflicts").then().body("", hasSize(0));
        List<String> types = TestKafka.events(Topics.CHANGE_EVENTS, change::equals, 5, Duration.ofSeconds(10)).stream().map(CloudEvent::type).toList();
        assertThat(types).last().isEqualTo("itsm.change.conflict-detected");
        move(MANAGER, change, "SCHEDULED", "", 409).body("errors[0].field", equalTo("conflicts"));

        as(MANAGER).header("If-Match", "\"0\"").contentType("application/merge-patch+json").body("{\"startsAt\":\"2027-02-07T00:00:00Z\"}")
                .patch("/api/changes/blackout-windows/" + window).then().statusCode(200).header("ETag", "\"1\"");
        as(READER).get("/api/changes/" + change + "/conflicts").then().body("", hasSize(0));
        as(READER).get("/api/changes/" + change).then().body("conflicts", hasSize(0));
        move(MANAGER, change, "SCHEDULED", "", 200);

        as(MANAGER).delete("/api/changes/blackout-windows/" + window).then().statusCode(428);
        as(MANAGER).header("If-Match", "\"1\"").delete("/api/changes/blackout-windows/" + window).then().statusCode(204);
        as(READER).get("/api/changes/blackout-windows/" + window).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aFreezeWithoutCisFreezesEveryCi() {
        String change = raise(AGENT, complete(UUID.randomUUID(), "2027-03-06T22:00:00Z", "2027-03-06T23:00:00Z"));
        String name = "Quarter close " + UUID.randomUUID();
        String window = blackout("{\"name\":\"" + name + "\",\"startsAt\":\"2027-03-06T00:00:00Z\",\"endsAt\":\"2027-03-08T00:00:00Z\"}");
        as(READER).get("/api/changes/" + change + "/conflicts").then().body("", hasSize(1))
                .body("[0].reason", containsString("freezes every CI"));
        as(READER).get("/api/changes/blackout-windows?q=" + name + "&endingAfter=2027-03-07T00:00:00Z").then().statusCode(200)
                .body("id", equalTo(List.of(window)));
        as(READER).get("/api/changes/blackout-windows?q=" + name + "&endingAfter=2027-03-09T00:00:00Z").then().statusCode(200)
                .body("id", equalTo(List.of()));
        as(READER).get("/api/changes/blackout-windows?q=" + name + "&configurationItemId=" + UUID.randomUUID()).then().statusCode(200)
                .body("id", equalTo(List.of(window)));
    }

    @Test
    void blackoutWindowsFilterSortAndPageLikeEveryList() {
        UUID ci = UUID.randomUUID();
        String marker = "freeze-" + ci;
        String later = blackout("{\"name\":\"" + marker + " later\",\"startsAt\":\"2028-02-01T00:00:00Z\",\"endsAt\":\"2028-02-02T00:00:00Z\","
                + "\"configurationItemIds\":[\"" + ci + "\"]}");
        String sooner = blackout("{\"name\":\"" + marker + " sooner\",\"startsAt\":\"2028-01-01T00:00:00Z\",\"endsAt\":\"2028-01-03T00:00:00Z\","
                + "\"configurationItemIds\":[\"" + ci + "\"]}");
        String elsewhere = blackout("{\"name\":\"" + marker + " elsewhere\",\"startsAt\":\"2028-01-02T00:00:00Z\",\"endsAt\":\"2028-01-04T00:00:00Z\","
                + "\"configurationItemIds\":[\"" + UUID.randomUUID() + "\"]}");

        String next = as(READER).get("/api/changes/blackout-windows?q=" + marker + "&limit=2&count=true").then().statusCode(200)
                .header("X-Total-Count", "3").body("id", equalTo(List.of(sooner, elsewhere))).extract().header("Link");
        assertThat(next).contains("rel=\"next\"").startsWith("</api/changes/blackout-windows?");
        as(READER).get(next.substring(next.indexOf('<') + 1, next.indexOf('>'))).then().statusCode(200)
                .body("id", equalTo(List.of(later))).header("Link", org.hamcrest.Matchers.nullValue());
        as(READER).get("/api/changes/blackout-windows?q=" + marker + "&configurationItemId=" + ci).then().statusCode(200)
                .body("id", equalTo(List.of(sooner, later)));
        as(READER).get("/api/changes/blackout-windows?q=" + marker + "&sort=-endsAt").then().statusCode(200)
                .body("id", equalTo(List.of(later, elsewhere, sooner)));
        as(READER).get("/api/changes/blackout-windows?q=" + marker + "&sort=name").then().statusCode(200)
                .body("id", equalTo(List.of(elsewhere, later, sooner)));
        as(READER).get("/api/changes/blackout-windows?q=" + marker + "&endingAfter=2028-01-03T12:00:00Z").then().statusCode(200)
                .body("id", equalTo(List.of(elsewhere, later)));
        as(READER).get("/api/changes/blackout-windows?sort=priority").then().statusCode(400).body("errors[0].field", equalTo("sort"));
        as(READER).get("/api/changes/blackout-windows?limit=0").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        as(READER).get("/api/changes/blackout-windows?cursor=" + next.substring(next.indexOf("cursor=") + 7, next.indexOf('>')) + "&sort=name")
                .then().statusCode(400).body("errors[0].field", equalTo("cursor"));
    }

    @Test
    void blackoutWindowsAreValidatedAndOnlyManagersDeclareThem() {
        as(MANAGER).contentType(ContentType.JSON).body("{\"name\":\"x\",\"startsAt\":\"2027-01-02T00:00:00Z\",\"endsAt\":\"2027-01-01T00:00:00Z\"}")
                .post("/api/changes/blackout-windows").then().statusCode(422).body("errors[0].field", equalTo("endsAt"));
        as(MANAGER).contentType(ContentType.JSON).body("{\"startsAt\":\"2027-01-01T00:00:00Z\"}")
                .post("/api/changes/blackout-windows").then().statusCode(400).body("errors.field", equalTo(List.of("endsAt", "name")));
        as(AGENT).contentType(ContentType.JSON).body("{\"name\":\"x\",\"startsAt\":\"2027-01-01T00:00:00Z\",\"endsAt\":\"2027-01-02T00:00:00Z\"}")
                .post("/api/changes/blackout-windows").then().statusCode(403).contentType("application/problem+json");
        as(READER).get("/api/changes/blackout-windows?endingAfter=soon").then().statusCode(400).body("errors[0].field", equalTo("endingAfter"));
    }

    @Test
    void theNextSlotAvoidsScheduledChangesAndBlackouts() {
        UUID ci = UUID.randomUUID();
        // Saturday; busy: a scheduled change 10:00-12:00 and a blackout 12:30-14:00 on the CI; free 12:00-12:30 is too short for 1 h
        String scheduled = authorized(ci, "2027-04-03T10:00:00Z", "2027-04-03T12:00:00Z");
        move(MANAGER, scheduled, "SCHEDULED", "", 200);
        blackout("{\"name\":\"DB upgrade\",\"startsAt\":\"2027-04-03T12:30:00Z\",\"endsAt\":\"2027-04-03T14:00:00Z\",\"configurationItemIds\":[\"" + ci + "\"]}");
        String change = raise(AGENT, complete(ci, "2027-04-03T11:00:00Z", "2027-04-03T12:00:00Z"));

        as(READER).get("/api/changes/" + change + "/next-slot?after=2027-04-03T09:00:00Z").then().statusCode(200)
                .body("plannedStart", equalTo("2027-04-03T09:00:00Z")).body("plannedEnd", equalTo("2027-04-03T10:00:00Z"));
        as(READER).get("/api/changes/" + change + "/next-slot?after=2027-04-03T09:30:00Z").then().statusCode(200)
                .body("plannedStart", equalTo("2027-04-03T14:00:00Z")).body("plannedEnd", equalTo("2027-04-03T15:00:00Z"));
        as(READER).get("/api/changes/" + change + "/next-slot?after=2027-04-03T09:30:10Z").then().statusCode(200)
                .body("plannedStart", equalTo("2027-04-03T14:00:00Z"));
        String unplanned = raise(AGENT, "{\"type\":\"NORMAL\",\"shortDescription\":\"When?\"}");
        as(READER).get("/api/changes/" + unplanned + "/next-slot").then().statusCode(422).body("errors[0].field", equalTo("plannedStart"));
        as(READER).get("/api/changes/" + change + "/next-slot?after=tomorrow").then().statusCode(400);
    }
}
