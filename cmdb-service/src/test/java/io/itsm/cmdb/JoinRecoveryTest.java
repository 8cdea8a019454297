package io.itsm.cmdb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.itsm.cmdb.domain.Relationship;
import io.itsm.cmdb.domain.RelationshipEventData;
import io.itsm.cmdb.domain.RelationshipType;
import io.itsm.cmdb.repository.CmdbDatabase;
import io.itsm.cmdb.repository.PendingJoins;
import io.itsm.cmdb.repository.RelationshipRepository;
import io.itsm.cmdb.service.JoinRecovery;
import io.itsm.events.EventTypes;
import io.itsm.events.mongodb.quarkus.DocumentOutbox;
import io.itsm.events.outbox.OutboxEntry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

/**
 * A relationship whose maker stopped between inserting it and joining it to its CIs (a crash, a kill) is finished by
 * {@link JoinRecovery}: joined when its CIs still allow it, withdrawn with its event when one was retired, deleted or
 * reclassified meanwhile. The tests make such an edge the way the maker does, note first, then the insert, and stop there.
 */
@QuarkusTest
@TestSecurity(user = "sam.agent", roles = {"itsm-agent", "itsm-cmdb-admin"})
class JoinRecoveryTest {

    @Inject
    JoinRecovery recovery;

    @Inject
    PendingJoins pendingJoins;

    @Inject
    RelationshipRepository relationships;

    @Inject
    DocumentOutbox outbox;

    @Inject
    CmdbDatabase db;

    @BeforeEach
    void finishWhatOtherTestsLeft() {
        recovery.recoverNotesOlderThan(Instant.now().plusSeconds(1));
    }

    private static Map<String, Object> ci(String ciClass) {
        return CiResourceTest.create(Map.of("ciClass", ciClass, "name", ciClass + "-" + UUID.randomUUID())).then().statusCode(201)
                .extract().path("");
    }

    /** What a maker that stopped after the insert leaves: the note, and the edge with its creation event, not joined. */
    private Relationship madeButNotJoined(String sourceId, RelationshipType type, String targetId) {
        Relationship edge = Relationship.made(UUID.randomUUID().toString(), type, sourceId, targetId,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), "sam.agent", "api");
        OutboxEntry created = outbox.eventOfType(EventTypes.RELATIONSHIP_CREATED, edge.id(), RelationshipEventData.created(edge));
        pendingJoins.begin(List.of(edge));
        outbox.write(CmdbDatabase.RELATIONSHIPS, List.of(edge.id()), () -> {
            relationships.insert(edge, created);
            return edge;
        });
        return edge;
    }

    private long notes() {
        return db.collection("relationship_pending_join").countDocuments();
    }

    private static List<String> relationshipIdsOf(String ciId) {
        return given().get("/api/cmdb/cis/" + ciId + "/relationships?limit=500").then().statusCode(200).extract().path("id");
    }

    @Test
    void anEdgeWhoseCisStillAllowItIsJoinedAndStays() {
        String app = (String) ci("application").get("id");
        String server = (String) ci("virtual_machine").get("id");
        Relationship edge = madeButNotJoined(app, RelationshipType.RUNS_ON, server);

        assertThat(recovery.recoverNotesOlderThan(Instant.now().plusSeconds(1))).isEqualTo(new JoinRecovery.Recovered(1, 0));

        assertThat(notes()).isZero();
        given().get("/api/cmdb/relationships/" + edge.id()).then().statusCode(200).body("version", equalTo(0));
        assertThat(relationshipIdsOf(app)).containsExactly(edge.id());
        // joined: both CIs count it, so a retire that looked before this join would have been refused
        assertThat(db.collection(CmdbDatabase.CIS).find(new Document("_id", server)).first().get("links", Number.class).longValue()).isEqualTo(1);
        assertThat(db.collection(CmdbDatabase.CIS).find(new Document("_id", app)).first().get("links", Number.class).longValue()).isEqualTo(1);
    }

    @Test
    void aCiWithAnUnjoinedEdgeIsNotRetiredAsIfItHadNone() {
        String app = (String) ci("application").get("id");
        String server = (String) ci("virtual_machine").get("id");
        Relationship edge = madeButNotJoined(app, RelationshipType.RUNS_ON, server);

        // neither CI has a relationship counted (links 0), but the note names them: the retire looks, and finds the edge
        given().header("If-Match", "\"0\"").post("/api/cmdb/cis/" + server + "/retire").then().statusCode(409)
                .body("detail", containsString("1 active relationship"));
        given().header("If-Match", "\"0\"").delete("/api/cmdb/cis/" + app).then().statusCode(409);

        assertThat(recovery.recoverNotesOlderThan(Instant.now().plusSeconds(1))).isEqualTo(new JoinRecovery.Recovered(1, 0));
        given().header("If-Match", "\"0\"").post("/api/cmdb/cis/" + server + "/retire?relationships=delete").then().statusCode(200);
        given().get("/api/cmdb/relationships/" + edge.id()).then().statusCode(404);
    }

    @Test
    void anEdgeToACiRetiredBeforeTheJoinIsWithdrawnWithItsEvent() throws Exception {
        String app = (String) ci("application").get("id");
        String server = (String) ci("virtual_machine").get("id");
        // the maker checked the server, then the server was retired (no relationship yet to refuse it), then the maker inserted and stopped
        given().header("If-Match", "\"0\"").post("/api/cmdb/cis/" + server + "/retire").then().statusCode(200);
        Relationship edge = madeButNotJoined(app, RelationshipType.RUNS_ON, server);

        assertThat(recovery.recoverNotesOlderThan(Instant.now().plusSeconds(1))).isEqualTo(new JoinRecovery.Recovered(0, 1));

        assertThat(notes()).isZero();
        given().get("/api/cmdb/relationships/" + edge.id()).then().statusCode(404);
        Relationship withdrawn = relationships.find(edge.id()).orElseThrow();
        assertThat(withdrawn.isDeleted()).isTrue();
        assertThat(withdrawn.deletedBy()).isEqualTo("system");
        given().get("/api/cmdb/relationships/" + edge.id() + "/history").then().statusCode(200)
                .body("actor", equalTo(List.of("sam.agent", "system"))).body("source", equalTo(List.of("api", "system")));
        assertThat(withdrawn.version()).isEqualTo(1);
        assertThat(relationshipIdsOf(app)).isEmpty();
        List<CmdbTopic.Event> events = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> CmdbTopic.eventsOf(edge.id()), e -> e.size() >= 2);
        assertThat(events).extracting(e -> e.header("ce_type")).containsExactly("itsm.relationship.created", "itsm.relationship.deleted");
    }

    @Test
    void anEdgeToADeletedCiOrBetweenClassesItsTypeNoLongerAllowsIsWithdrawn() {
        String app = (String) ci("application").get("id");
        String db1 = (String) ci("database").get("id");
        String server = (String) ci("virtual_machine").get("id");
        given().header("If-Match", "\"0\"").delete("/api/cmdb/cis/" + db1).then().statusCode(204);
        Relationship toDeleted = madeButNotJoined(app, RelationshipType.DEPENDS_ON, db1);
        // the VM became an application after the maker checked it: an application RUNS_ON an application is not allowed
        given().header("If-Match", "\"0\"").contentType("application/merge-patch+json").body(Map.of("ciClass", "application"))
                .patch("/api/cmdb/cis/" + server).then().statusCode(200);
        Relationship toReclassified = madeButNotJoined(app, RelationshipType.RUNS_ON, server);

        assertThat(recovery.recoverNotesOlderThan(Instant.now().plusSeconds(1))).isEqualTo(new JoinRecovery.Recovered(0, 2));

        given().get("/api/cmdb/relationships/" + toDeleted.id()).then().statusCode(404);
        given().get("/api/cmdb/relationships/" + toReclassified.id()).then().statusCode(404);
        assertThat(relationships.find(toDeleted.id()).orElseThrow().isDeleted()).isTrue();
        assertThat(relationships.find(toReclassified.id()).orElseThrow().isDeleted()).isTrue();
    }

    @Test
    void aRecentNoteIsLeftToItsMakerAndANoteOfEdgesNeverInsertedIsDropped() {
        String app = (String) ci("application").get("id");
        String server = (String) ci("virtual_machine").get("id");
        Relationship edge = madeButNotJoined(app, RelationshipType.RUNS_ON, server);

        // written after the cut-off: its maker may still be at work
        assertThat(recovery.recoverNotesOlderThan(Instant.now().minusSeconds(60))).isEqualTo(new JoinRecovery.Recovered(0, 0));
        assertThat(notes()).isEqualTo(1);

        pendingJoins.begin(List.of(Relationship.made(UUID.randomUUID().toString(), RelationshipType.RUNS_ON, app, server, Instant.now(),
                "sam.agent", "api"))); // the maker stopped before its insert
        assertThat(recovery.recoverNotesOlderThan(Instant.now().plusSeconds(1))).isEqualTo(new JoinRecovery.Recovered(1, 0));
        assertThat(notes()).isZero();
        assertThat(relationshipIdsOf(app)).containsExactly(edge.id());
    }

    @Test
    void aNoteAnotherReplicaTookOverIsLeftToIt() {
        String app = (String) ci("application").get("id");
        String server = (String) ci("virtual_machine").get("id");
        madeButNotJoined(app, RelationshipType.RUNS_ON, server);
        PendingJoins.Note seen = pendingJoins.olderThan(Instant.now().plusSeconds(1), 10).get(0);

        assertThat(pendingJoins.takeOver(seen)).isTrue();
        assertThat(pendingJoins.takeOver(seen)).as("the note's time moved: someone else has it").isFalse();
        assertThat(recovery.recoverNotesOlderThan(seen.at().plusMillis(1))).isEqualTo(new JoinRecovery.Recovered(0, 0));
        assertThat(notes()).isEqualTo(1);
    }

    @Test
    void aNoteIsTakenOverEvenWithinTheMillisecondItWasWritten() {
        String app = (String) ci("application").get("id");
        String server = (String) ci("virtual_machine").get("id");
        for (int i = 0; i < 50; i++) {
            String id = pendingJoins.begin(List.of(Relationship.made(UUID.randomUUID().toString(), RelationshipType.RUNS_ON, app, server,
                    Instant.now(), "sam.agent", "api")));
            PendingJoins.Note note = pendingJoins.olderThan(Instant.now().plusSeconds(1), 100).stream().filter(n -> n.id().equals(id))
                    .findFirst().orElseThrow();
            assertThat(pendingJoins.takeOver(note)).as("round %d", i).isTrue();
            pendingJoins.done(List.of(id));
        }
    }

    @Test
    void relationshipsMadeThroughTheApiOrAnImportLeaveNoNote() {
        String app = (String) ci("application").get("id");
        String server = (String) ci("virtual_machine").get("id");
        given().contentType(ContentType.JSON).body(Map.of("sourceId", app, "type", "RUNS_ON", "targetId", server))
                .post("/api/cmdb/relationships").then().statusCode(201);
        // a duplicate: refused by the insert
        given().contentType(ContentType.JSON).body(Map.of("sourceId", app, "type", "RUNS_ON", "targetId", server))
                .post("/api/cmdb/relationships").then().statusCode(409);
        given().contentType(ContentType.JSON).body(Map.of("source", "discovery",
                        "items", List.of(Map.of("ref", "h", "ciClass", "virtual_machine", "name", "h-" + UUID.randomUUID())),
                        "relationships", List.of(Map.of("source", app, "type", "RUNS_ON", "target", "h"),
                                Map.of("source", app, "type", "RUNS_ON", "target", server))))
                .post("/api/cmdb/reconcile").then().statusCode(200)
                .body("relationships[0].outcome", equalTo("CREATED")).body("relationships[1].outcome", equalTo("UNCHANGED"));

        assertThat(notes()).isZero();
    }
}
