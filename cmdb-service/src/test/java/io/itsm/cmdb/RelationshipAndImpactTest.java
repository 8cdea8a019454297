package io.itsm.cmdb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.itsm.cmdb.domain.Relationship;
import io.itsm.cmdb.graph.GraphProjection;
import io.itsm.cmdb.repository.RelationshipRepository;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Relationships (rules, inverse names, delete, retire) and impact analysis up and down, with a cycle and depth. */
@QuarkusTest
@TestSecurity(user = "sam.agent", roles = "itsm-agent")
class RelationshipAndImpactTest {

    @Inject
    GraphProjection graph;

    @Inject
    RelationshipRepository relationships;

    private static String ci(String ciClass, String name) {
        return CiResourceTest.create(Map.of("ciClass", ciClass, "name", name)).then().statusCode(201).extract().path("id");
    }

    private static ValidatableResponse relate(String source, String type, String target) {
        return given().contentType(ContentType.JSON).body(Map.of("sourceId", source, "type", type, "targetId", target))
                .post("/api/cmdb/relationships").then();
    }

    private static String edge(String source, String type, String target) {
        return relate(source, type, target).statusCode(201).extract().path("id");
    }

    @Test
    void relationshipsFollowTheirRules() {
        String app = ci("application", "shop");
        String server = ci("server", "web-01");
        String id = relate(app, "RUNS_ON", server).statusCode(201).header("ETag", "\"0\"")
                .body("type", equalTo("RUNS_ON")).body("inverseType", equalTo("RUNS")).body("sourceId", equalTo(app)).extract().path("id");
        relate(server, "RUNS", app).statusCode(409).contentType(CiResourceTest.PROBLEM).body("detail", containsString("exists already"));
        relate(app, "RUNS_ON", app).statusCode(422).body("errors[0].field", equalTo("targetId"));
        relate(app, "LIKES", server).statusCode(400).body("errors[0].field", equalTo("type"));
        relate(app, "DEPENDS_ON", "no-such-ci").statusCode(422).body("errors[0].field", equalTo("targetId"));
        given().contentType(ContentType.JSON).body("{\"sourceId\":\"" + app + "\"}").post("/api/cmdb/relationships").then().statusCode(400)
                .body("errors.field", equalTo(List.of("targetId", "type")));

        given().get("/api/cmdb/cis/" + server + "/relationships").then().statusCode(200).body("id", equalTo(List.of(id)));
        await().atMost(Duration.ofSeconds(20)).until(() -> CmdbTopic.eventsOf(id).size() == 1);
        assertThat(CmdbTopic.eventsOf(id).get(0).header("ce_type")).isEqualTo("itsm.relationship.created");

        given().delete("/api/cmdb/relationships/" + id).then().statusCode(428);
        given().header("If-Match", "\"0\"").delete("/api/cmdb/relationships/" + id).then().statusCode(204);
        given().get("/api/cmdb/relationships/" + id).then().statusCode(404);
        given().get("/api/cmdb/cis/" + server + "/relationships").then().body("", hasSize(0));
        await().atMost(Duration.ofSeconds(20)).until(() -> CmdbTopic.eventsOf(id).size() == 2);
        assertThat(CmdbTopic.eventsOf(id).get(1).header("ce_type")).isEqualTo("itsm.relationship.deleted");
        relate(app, "RUNS_ON", server).statusCode(201);
    }

    @Test
    void aRelationshipsHistoryAndEventsSayWhoMadeAndDeletedItThroughWhatAndStayAfterTheDelete() throws Exception {
        String app = ci("application", "history-app");
        String server = ci("virtual_machine", "history-vm");
        String id = edge(app, "RUNS_ON", server);
        given().get("/api/cmdb/relationships/" + id + "/history").then().statusCode(200)
                .body("version", equalTo(List.of(0))).body("eventType", equalTo(List.of("itsm.relationship.created")))
                .body("actor", equalTo(List.of("sam.agent"))).body("source", equalTo(List.of("api"))).body("[0].changes", hasSize(0));
        given().header("If-Match", "\"0\"").delete("/api/cmdb/relationships/" + id).then().statusCode(204);

        given().get("/api/cmdb/relationships/" + id).then().statusCode(404).contentType(CiResourceTest.PROBLEM)
                .body("detail", containsString("was deleted at")).body("detail", containsString("by sam.agent"))
                .body("detail", containsString("/api/cmdb/relationships/" + id + "/history"));
        given().get("/api/cmdb/relationships/" + id + "/history").then().statusCode(200)
                .body("version", equalTo(List.of(0, 1))).body("eventType", equalTo(List.of("itsm.relationship.created", "itsm.relationship.deleted")))
                .body("source", equalTo(List.of("api", "api"))).body("[1].changes[0].field", equalTo("deleted"))
                .body("[1].changes[0].from", equalTo(false)).body("[1].changes[0].to", equalTo(true));
        String next = given().get("/api/cmdb/relationships/" + id + "/history?limit=1&count=true").then().statusCode(200)
                .header("X-Total-Count", "2").body("version", equalTo(List.of(0))).extract().header("Link");
        given().get(next.substring(1, next.indexOf('>'))).then().statusCode(200).body("version", equalTo(List.of(1)));
        given().get("/api/cmdb/relationships/" + java.util.UUID.randomUUID() + "/history").then().statusCode(404)
                .contentType(CiResourceTest.PROBLEM);

        List<CmdbTopic.Event> events = await().atMost(Duration.ofSeconds(20)).until(() -> CmdbTopic.eventsOf(id), e -> e.size() == 2);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(json.readTree(events.get(0).data()).path("actor").asText()).isEqualTo("sam.agent");
        assertThat(json.readTree(events.get(0).data()).path("source").asText()).isEqualTo("api");
        assertThat(json.readTree(events.get(1).data()).path("source").asText()).isEqualTo("api");
    }

    @Test
    @TestSecurity(user = "ivan.admin", roles = "itsm-cmdb-admin")
    void anImportedRelationshipNamesItsImportSource() {
        String app = ci("application", "imported-app");
        String server = ci("virtual_machine", "imported-vm");
        String id = given().contentType(ContentType.JSON).body(Map.of("source", "discovery",
                        "relationships", List.of(Map.of("source", app, "type", "RUNS_ON", "target", server))))
                .post("/api/cmdb/reconcile").then().statusCode(200).body("relationships[0].outcome", equalTo("CREATED"))
                .extract().path("relationships[0].relationshipId");
        given().get("/api/cmdb/relationships/" + id + "/history").then().statusCode(200)
                .body("actor", equalTo(List.of("ivan.admin"))).body("source", equalTo(List.of("discovery")));
    }

    @Test
    void aCisRelationshipsFilterByHowTheyReadFromItAndPage() {
        String center = ci("application", "billing");
        String db = ci("database", "billing-db");
        String cache = ci("application", "billing-cache");
        String caller = ci("application", "invoicing");
        String server = ci("server", "billing-01");
        String usesDb = edge(center, "DEPENDS_ON", db);
        String usesCache = edge(center, "DEPENDS_ON", cache);
        String usedBy = edge(caller, "DEPENDS_ON", center);
        String runsOn = edge(center, "RUNS_ON", server);
        String path = "/api/cmdb/cis/" + center + "/relationships";

        String link = given().get(path + "?limit=3&count=true").then().statusCode(200).header("X-Total-Count", "4")
                .body("id", equalTo(List.of(usesDb, usesCache, usedBy))).extract().header("Link");
        assertThat(link).startsWith("<" + path + "?").endsWith(">; rel=\"next\"");
        given().get(link.substring(1, link.indexOf('>'))).then().statusCode(200).body("id", equalTo(List.of(runsOn)))
                .header("Link", org.hamcrest.Matchers.nullValue());
        given().get(path + "?type=DEPENDS_ON").then().statusCode(200).body("id", equalTo(List.of(usesDb, usesCache)));
        given().get(path + "?type=USED_BY").then().statusCode(200).body("id", equalTo(List.of(usedBy)));
        given().get(path + "?type=RUNS_ON,USED_BY").then().statusCode(200).body("id", equalTo(List.of(usedBy, runsOn)));
        given().get(path + "?type=RUNS_ON&type=USED_BY").then().statusCode(200).body("id", equalTo(List.of(usedBy, runsOn)));
        given().get(path + "?type=RUNS").then().statusCode(200).body("id", equalTo(List.of()));
        given().get("/api/cmdb/cis/" + server + "/relationships?type=RUNS").then().statusCode(200).body("id", equalTo(List.of(runsOn)));

        given().header("If-Match", "\"0\"").delete("/api/cmdb/relationships/" + usesCache).then().statusCode(204);
        given().get(path + "?cursor=" + link.substring(link.indexOf("cursor=") + 7, link.indexOf('>'))).then().statusCode(200)
                .body("id", equalTo(List.of(runsOn)));
        given().get(path + "?count=true").then().statusCode(200).header("X-Total-Count", "3").body("id", equalTo(List.of(usesDb, usedBy, runsOn)));

        given().get(path + "?type=USES").then().statusCode(400).contentType(CiResourceTest.PROBLEM)
                .body("errors[0].field", equalTo("type")).body("errors[0].message", containsString("USED_BY"));
        given().get(path + "?cursor=nonsense").then().statusCode(400).body("errors[0].field", equalTo("cursor"));
        given().get(path + "?limit=501").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        given().get("/api/cmdb/cis/no-such-ci/relationships").then().statusCode(404).contentType(CiResourceTest.PROBLEM);
    }

    /** The list reads a CI's edges through the graph projection by their unique keys: the same edges the store search finds. */
    @Test
    void theEdgesFoundThroughTheProjectionAreTheEdgesTheStoreHolds() {
        String center = ci("application", "ledger");
        String other = ci("application", "ledger-ui");
        String db = ci("database", "ledger-db");
        edge(center, "DEPENDS_ON", db);
        String gone = edge(other, "DEPENDS_ON", center);
        given().header("If-Match", "\"0\"").delete("/api/cmdb/relationships/" + gone).then().statusCode(204);
        edge(other, "DEPENDS_ON", center);
        await().atMost(Duration.ofSeconds(30)).until(graph::ready);

        List<String> byKeys = relationships.activeWithEnds(graph.edgesOf(center)).stream().map(Relationship::id).sorted().toList();
        List<String> bySearch = relationships.activeOf(center).stream().map(Relationship::id).sorted().toList();
        assertThat(byKeys).hasSize(2).isEqualTo(bySearch).doesNotContain(gone);
    }

    @Test
    void retiringACiHandlesItsRelationshipsExplicitly() {
        String db = ci("database", "orders-db");
        String app = ci("application", "orders");
        String edge = edge(app, "DEPENDS_ON", db);
        given().header("If-Match", "\"0\"").post("/api/cmdb/cis/" + db + "/retire").then().statusCode(409)
                .body("detail", containsString("1 active relationship"));
        given().header("If-Match", "\"0\"").post("/api/cmdb/cis/" + db + "/retire?relationships=delete").then().statusCode(200)
                .body("status", equalTo("RETIRED"));
        given().get("/api/cmdb/relationships/" + edge).then().statusCode(404);
        relate(app, "DEPENDS_ON", db).statusCode(422).body("errors[0].message", containsString("retired"));
    }

    /**
     * web RUNS_ON vm HOSTED_ON host MEMBER_OF cluster; db RUNS_ON vm2 HOSTED_ON host; rack CONTAINS host;
     * shop DEPENDS_ON web and db; and a cycle: host DEPENDS_ON shop.
     */
    @Test
    void impactAnalysisWalksTheGraphBothWaysWithCyclesAndDepth() {
        String shop = ci("business_service", "shop");
        String web = ci("application", "web");
        String db = ci("database", "db");
        String vm = ci("virtual_machine", "vm");
        String vm2 = ci("virtual_machine", "vm2");
        String host = ci("server", "host");
        String cluster = ci("cluster", "cluster");
        String rack = ci("hardware", "rack");
        edge(web, "RUNS_ON", vm);
        edge(vm, "HOSTED_ON", host);
        edge(db, "RUNS_ON", vm2);
        edge(host, "HOSTS", vm2);              // inverse name: vm2 HOSTED_ON host
        edge(host, "MEMBER_OF", cluster);
        edge(rack, "CONTAINS", host);
        edge(shop, "DEPENDS_ON", web);
        edge(db, "USED_BY", shop);             // shop DEPENDS_ON db
        edge(host, "DEPENDS_ON", shop);        // a cycle

        // if the rack fails: the host in it; the VMs on the host and the cluster it is a member of; the apps on the VMs;
        // the shop that depends on them; the walk stops at the host it meets again
        given().get("/api/cmdb/cis/" + rack + "/impact?direction=downstream&depth=6").then().statusCode(200)
                .body("affected.ci.name", equalTo(List.of("host", "vm", "vm2", "cluster", "web", "db", "shop")))
                .body("affected.distance", equalTo(List.of(1, 2, 2, 2, 3, 3, 4)))
                .body("affected.find { it.ci.name == 'shop' }.path", hasSize(5))
                .body("affected.find { it.ci.name == 'shop' }.path[0]", equalTo(rack))
                .body("truncated", equalTo(false));
        given().get("/api/cmdb/cis/" + rack + "/impact?depth=2").then().body("affected.ci.name", equalTo(List.of("host", "vm", "vm2", "cluster")));
        given().get("/api/cmdb/cis/" + rack + "/impact?depth=6&types=CONTAINS,HOSTED_ON").then()
                .body("affected.ci.name", equalTo(List.of("host", "vm", "vm2")));
        given().get("/api/cmdb/cis/" + rack + "/impact?depth=6&limit=2").then().body("affected", hasSize(2)).body("truncated", equalTo(true));

        // what the shop needs: web and db, their VMs, the host, the rack; the cycle back to the shop ends there
        given().get("/api/cmdb/cis/" + shop + "/impact?direction=upstream&depth=10").then().statusCode(200)
                .body("affected.ci.name", equalTo(List.of("web", "db", "vm", "vm2", "host", "rack")))
                .body("affected.distance", equalTo(List.of(1, 1, 2, 2, 3, 4)))
                .body("affected.find { it.ci.name == 'rack' }.path", anyOf(equalTo(List.of(shop, web, vm, host, rack)),
                        equalTo(List.of(shop, db, vm2, host, rack))));

        given().contentType(ContentType.JSON).body(Map.of("ciIds", List.of(vm, vm2), "depth", 1)).post("/api/cmdb/impact").then()
                .statusCode(200).body("affected.ci.name", equalTo(List.of("web", "db")));
        given().get("/api/cmdb/cis/" + rack + "/impact?direction=sideways").then().statusCode(400).body("errors[0].field", equalTo("direction"));
        given().get("/api/cmdb/cis/" + rack + "/impact?depth=11").then().statusCode(400).body("errors[0].field", equalTo("depth"));
        given().get("/api/cmdb/cis/" + rack + "/impact?types=LIKES").then().statusCode(400).body("errors[0].field", equalTo("types"));
        given().get("/api/cmdb/cis/no-such-ci/impact").then().statusCode(404).contentType(CiResourceTest.PROBLEM);
    }
}
