package io.itsm.cmdb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.itsm.events.CloudEvent;
import io.itsm.events.Topics;
import io.itsm.testsupport.EventSchemaAssertions;
import io.itsm.testsupport.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Identification and reconciliation: every outcome, rule priority, ambiguity, attribute authority, idempotent re-runs, NDJSON. */
@QuarkusTest
@TestSecurity(user = "ivan.import", roles = {"itsm-cmdb-admin"})
class ReconcileTest {

    private static ValidatableResponse reconcile(String source, List<Map<String, Object>> items, List<Map<String, Object>> relationships) {
        return given().contentType(ContentType.JSON).body(Map.of("source", source, "items", items, "relationships", relationships))
                .post("/api/cmdb/reconcile").then();
    }

    private static String serial() {
        return "SN-" + UUID.randomUUID();
    }

    @Test
    void itemsAreCreatedUpdatedLeftUnchangedOrRefusedWithReasons() {
        String sn = serial();
        String host = "h" + UUID.randomUUID().toString().substring(0, 8);
        List<Map<String, Object>> items = List.of(
                Map.of("ref", "srv", "ciClass", "linux_server", "name", host, "attributes", Map.of("serialNumber", sn, "cpu", 8)),
                Map.of("ref", "app", "ciClass", "application", "name", "shop-" + host),
                Map.of("ciClass", "linux_server", "attributes", Map.of("cpu", 2)),                                  // no identifier
                Map.of("ciClass", "no_such_class", "name", "x"),
                Map.of("ciClass", "linux_server", "name", "bad-" + host, "attributes", Map.of("cpu", "many")),
                Map.of("ciClass", "linux_server", "attributes", Map.of("serialNumber", serial())),                  // would create, has no name
                Map.of("ciClass", "linux_server", "name", host + "-again", "attributes", Map.of("serialNumber", sn, "os", "Debian")));
        var report = reconcile("discovery", items, List.of(Map.of("source", "app", "type", "RUNS_ON", "target", "srv"),
                Map.of("source", "app", "type", "LIKES", "target", "srv"), Map.of("source", "nowhere", "type", "RUNS_ON", "target", "srv"),
                Map.of("source", "srv", "type", "RUNS_ON", "target", "app")))
                .statusCode(200)
                .body("source", equalTo("discovery"))
                .body("items.outcome", equalTo(List.of("CREATED", "CREATED", "INVALID", "INVALID", "INVALID", "INVALID", "UNCHANGED")))
                .body("items[2].reasons[0]", containsString("identifier rule"))
                .body("items[3].reasons[0]", containsString("does not exist"))
                .body("items[4].reasons[0]", containsString("attributes.cpu"))
                .body("items[5].reasons[0]", containsString("name is required"))
                .body("items[6].reasons[0]", containsString("item 0"))
                .body("relationships.outcome", equalTo(List.of("CREATED", "INVALID", "INVALID", "INVALID")))
                .body("relationships[3].reasons[0]", containsString("may not be the source of RUNS_ON"))
                .body("counts.created", equalTo(2)).body("counts.invalid", equalTo(4)).body("relationshipCounts.created", equalTo(1))
                .extract();
        String server = report.path("items[0].ciId");
        assertThat(report.<String>path("items[6].ciId")).isEqualTo(server);
        given().get("/api/cmdb/cis/" + server).then().body("attributes.os", equalTo("Debian")).body("attributes.cpu", equalTo(8))
                .body("name", equalTo(host + "-again")); // a later item of the same import about the same CI wins
        given().get("/api/cmdb/cis/" + server + "/history").then().body("[0].actor", equalTo("ivan.import")).body("[0].source", equalTo("discovery"));

        // the next discovery run: a new value updates, the same values change nothing; the edge exists already
        reconcile("discovery", List.of(Map.of("ciClass", "linux_server", "attributes", Map.of("serialNumber", sn, "cpu", 16)),
                Map.of("ciClass", "application", "name", "shop-" + host)), List.of(Map.of("source", "shop-never", "type", "RUNS_ON", "target", server)))
                .statusCode(200).body("items.outcome", equalTo(List.of("UPDATED", "UNCHANGED")))
                .body("items[0].matchedBy", equalTo(List.of("serialNumber"))).body("items[1].matchedBy", equalTo(List.of("name", "ciClass")));
        given().get("/api/cmdb/cis/" + server).then().header("ETag", "\"1\"").body("attributes.cpu", equalTo(16));
        String app = report.path("items[1].ciId");
        String appNumber = report.path("items[1].number");
        reconcile("discovery", List.of(), List.of(Map.of("source", appNumber, "type", "RUNS_ON", "target", server)))
                .body("relationships[0].outcome", equalTo("UNCHANGED"));
        given().get("/api/cmdb/cis/" + app + "/relationships").then().body("", hasSize(1));
    }

    @Test
    void theFirstRuleThatFindsOneCiWinsAndSeveralMakeItAmbiguous() {
        String sn = serial();
        String host = "amb" + UUID.randomUUID().toString().substring(0, 8);
        // two CIs share a serial number (entered by hand); a third has the host name
        for (int i = 0; i < 2; i++) {
            CiResourceTest.create(Map.of("ciClass", "server", "name", host + "-dup" + i, "attributes", Map.of("serialNumber", sn)))
                    .then().statusCode(201);
        }
        String byHost = CiResourceTest.create(Map.of("ciClass", "linux_server", "name", host,
                "attributes", Map.of("hostname", host, "domain", "example.org"))).then().statusCode(201).extract().path("id");
        reconcile("discovery", List.of(Map.of("ciClass", "linux_server", "name", host, "attributes",
                Map.of("serialNumber", sn, "hostname", host, "domain", "example.org", "cpu", 4))), List.of())
                .body("items[0].outcome", equalTo("AMBIGUOUS")).body("items[0].matchedBy", equalTo(List.of("serialNumber")))
                .body("items[0].reasons[0]", containsString("matches 2 CIs"))
                .body("counts.ambiguous", equalTo(1)).body("counts.created", equalTo(0));
        given().get("/api/cmdb/cis/" + byHost).then().header("ETag", "\"0\""); // nothing written
        // without the serial number, hostname + domain find the one CI
        reconcile("discovery", List.of(Map.of("ciClass", "linux_server", "attributes",
                Map.of("hostname", host, "domain", "example.org", "cpu", 4))), List.of())
                .body("items[0].outcome", equalTo("UPDATED")).body("items[0].ciId", equalTo(byHost))
                .body("items[0].matchedBy", equalTo(List.of("hostname", "domain")));
    }

    @Test
    void attributeAuthorityKeepsWhatAHigherPrioritySourceWrote() {
        String cls = "auth_" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(Map.of("name", cls, "parent", "server", "authority", List.of(
                        Map.of("source", "manual", "priority", 1, "attributes", List.of("owner", "criticality")),
                        Map.of("source", "discovery", "priority", 10, "attributes", List.of("*")),
                        Map.of("source", "cloud", "priority", 20, "attributes", List.of("cpu", "os")))))
                .post("/api/cmdb/classes").then().statusCode(201);
        String sn = serial();
        String id = reconcile("discovery", List.of(Map.of("ciClass", cls, "name", "auth-1", "owner", "found-owner",
                "attributes", Map.of("serialNumber", sn, "cpu", 4))), List.of()).body("items[0].outcome", equalTo("CREATED"))
                .extract().path("items[0].ciId");
        reconcile("manual", List.of(Map.of("ciClass", cls, "owner", "real-owner", "criticality", 1, "attributes", Map.of("serialNumber", sn))),
                List.of()).body("items[0].outcome", equalTo("UPDATED"));
        // discovery may not overwrite the owner manual wrote, but updates the cpu
        reconcile("discovery", List.of(Map.of("ciClass", cls, "owner", "found-again", "criticality", 3,
                "attributes", Map.of("serialNumber", sn, "cpu", 8))), List.of())
                .body("items[0].outcome", equalTo("UPDATED")).body("items[0].reasons[0]", containsString("owner"))
                .body("items[0].reasons[0]", containsString("criticality"));
        // cloud ranks below discovery for cpu, and has no rule for ramGb; it is the first to give os
        reconcile("cloud", List.of(Map.of("ciClass", cls, "attributes", Map.of("serialNumber", sn, "cpu", 32, "os", "Ubuntu", "ramGb", 64))),
                List.of()).body("items[0].outcome", equalTo("UPDATED"))
                .body("items[0].reasons[0]", containsString("attributes.cpu")).body("items[0].reasons[0]", containsString("attributes.ramGb"));
        given().get("/api/cmdb/cis/" + id).then().body("owner", equalTo("real-owner")).body("criticality", equalTo(1))
                .body("attributes.cpu", equalTo(8)).body("attributes.os", equalTo("Ubuntu")).body("attributes.ramGb", equalTo(null));
        // a source without any rule writes nothing of a class that has rules
        reconcile("spreadsheet", List.of(Map.of("ciClass", cls, "owner", "someone", "attributes", Map.of("serialNumber", sn))), List.of())
                .body("items[0].outcome", equalTo("UNCHANGED")).body("items[0].reasons[0]", containsString("owner"));
    }

    @Test
    void anItemIsIdentifiedWithTheCisAsTheItemsBeforeItInTheImportLeftThem() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String sn = serial();
        String moved = CiResourceTest.create(Map.of("ciClass", "linux_server", "name", "moved-" + tag,
                "attributes", Map.of("serialNumber", sn, "hostname", "old-" + tag, "domain", "example.org"))).then().statusCode(201)
                .extract().path("id");
        String twice = CiResourceTest.create(Map.of("ciClass", "linux_server", "name", "twice-" + tag,
                "attributes", Map.of("serialNumber", "T-" + sn, "cpu", 1))).then().statusCode(201).extract().path("id");
        var report = reconcile("discovery", List.of(
                // the CI leaves its host name ...
                Map.of("ciClass", "linux_server", "attributes", Map.of("serialNumber", sn, "hostname", "new-" + tag)),
                // ... so the next item with the old host name is another CI
                Map.of("ciClass", "linux_server", "name", "other-" + tag, "attributes", Map.of("hostname", "old-" + tag, "domain", "example.org")),
                // two items about one CI: each writes its own version, the later over the earlier
                Map.of("ciClass", "linux_server", "attributes", Map.of("serialNumber", "T-" + sn, "cpu", 2)),
                Map.of("ciClass", "linux_server", "attributes", Map.of("serialNumber", "T-" + sn, "cpu", 4, "os", "Debian"))), List.of())
                .statusCode(200)
                .body("items.outcome", equalTo(List.of("UPDATED", "CREATED", "UPDATED", "UPDATED")))
                .body("items[0].ciId", equalTo(moved)).body("items[2].ciId", equalTo(twice)).body("items[3].ciId", equalTo(twice))
                .extract();
        assertThat(report.<String>path("items[1].ciId")).isNotEqualTo(moved);
        given().get("/api/cmdb/cis/" + moved).then().header("ETag", "\"1\"").body("attributes.hostname", equalTo("new-" + tag));
        given().get("/api/cmdb/cis/" + twice).then().header("ETag", "\"2\"").body("attributes.cpu", equalTo(4))
                .body("attributes.os", equalTo("Debian"));
        given().get("/api/cmdb/cis/" + twice + "/history").then().body("", hasSize(3))
                .body("version", equalTo(List.of(0, 1, 2))).body("[2].actor", equalTo("ivan.import"));
        assertThat(TestKafka.events(Topics.CMDB_EVENTS, twice::equals, 3, Duration.ofSeconds(20))).extracting(CloudEvent::type)
                .containsExactly("itsm.ci.created", "itsm.ci.updated", "itsm.ci.updated");
    }

    @Test
    void reRunningTheSameImportChangesNothingAndPublishesNothing() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        List<Map<String, Object>> items = List.of(
                Map.of("ref", "db", "ciClass", "database", "name", "db-" + tag, "attributes", Map.of("engine", "postgresql", "port", 5432)),
                Map.of("ref", "vm", "ciClass", "virtual_machine", "name", "vm-" + tag, "attributes", Map.of("serialNumber", "VM-" + tag, "cpu", 2)));
        List<Map<String, Object>> edges = List.of(Map.of("source", "db", "type", "RUNS_ON", "target", "vm"));
        io.restassured.response.ExtractableResponse<?> firstReport = reconcile("discovery", items, edges).body("counts.created", equalTo(2))
                .body("relationshipCounts.created", equalTo(1)).extract();
        String first = firstReport.path("id");
        String edgeId = firstReport.path("relationships[0].relationshipId");
        String dbId = given().queryParam("q", "db-" + tag).get("/api/cmdb/cis").then().extract().path("[0].id");
        String second = reconcile("discovery", items, edges).body("counts.unchanged", equalTo(2)).body("counts.created", equalTo(0))
                .body("counts.updated", equalTo(0)).body("relationshipCounts.unchanged", equalTo(1)).extract().path("id");

        List<CloudEvent> runs = TestKafka.events(Topics.CMDB_EVENTS, first::equals, 1, Duration.ofSeconds(20));
        assertThat(runs).extracting(CloudEvent::type).containsExactly("itsm.reconcile.completed");
        EventSchemaAssertions.assertMatchesSchema(runs.get(0));
        assertThat(runs.get(0).dataAsString()).contains("\"created\":2");
        assertThat(TestKafka.events(Topics.CMDB_EVENTS, second::equals, 1, Duration.ofSeconds(3))).isEmpty();
        assertThat(TestKafka.events(Topics.CMDB_EVENTS, dbId::equals, 1, Duration.ofSeconds(20))).extracting(CloudEvent::type)
                .containsExactly("itsm.ci.created");
        // created in bulk: their events were kept beside the documents (outbox_batch) and published from there
        assertThat(TestKafka.events(Topics.CMDB_EVENTS, edgeId::equals, 1, Duration.ofSeconds(20))).extracting(CloudEvent::type)
                .containsExactly("itsm.relationship.created");
    }

    @Test
    void anNdjsonStreamIsReconciledChunkByChunk() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 2_500; i++) {
            body.append("{\"item\":{\"ref\":\"n").append(i).append("\",\"ciClass\":\"server\",\"name\":\"nd-").append(tag).append('-').append(i)
                    .append("\",\"attributes\":{\"serialNumber\":\"ND-").append(tag).append('-').append(i).append("\"}}}\n");
        }
        body.append("{\"relationship\":{\"source\":\"n2499\",\"type\":\"DEPENDS_ON\",\"target\":\"n0\"}}\n");
        body.append("not json\n");
        body.append("{\"item\":{\"ciClass\":\"server\"}}\n");
        body.append("{\"item\":{\"ciClass\":\"server\",\"name\":\"nd-").append(tag).append("-x\",\"hostnme\":\"nd-x\"}}\n");
        given().contentType("application/x-ndjson").body(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/cmdb/reconcile?source=discovery").then().statusCode(200)
                .body("counts.created", equalTo(2_500)).body("counts.invalid", equalTo(3)).body("relationshipCounts.created", equalTo(1))
                .body("items.index", equalTo(List.of(2_502, 2_503, 2_504))).body("items[0].reasons[0]", containsString("not JSON"))
                .body("items[2].reasons", equalTo(List.of("item.hostnme is not a known field; the fields here are attributes, ciClass, criticality, "
                        + "environment, name, owner, ref, status, supportGroup")));
        given().contentType("application/x-ndjson").body(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/cmdb/reconcile?source=discovery").then().statusCode(200)
                .body("counts.unchanged", equalTo(2_500)).body("relationshipCounts.unchanged", equalTo(1));
        given().contentType("application/x-ndjson").body(new byte[0]).post("/api/cmdb/reconcile").then().statusCode(400)
                .body("errors[0].field", equalTo("source"));
    }

    @Test
    void newIdentifierRulesApplyToTheCisThatExistAlready() {
        String cls = "tagged_" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(Map.of("name", cls, "parent", "storage")).post("/api/cmdb/classes").then().statusCode(201);
        String id = CiResourceTest.create(Map.of("ciClass", cls, "name", "array-1", "attributes", Map.of("assetTag", "AT-" + cls)))
                .then().statusCode(201).extract().path("id");
        reconcile("discovery", List.of(Map.of("ciClass", cls, "name", "array-1-found", "attributes", Map.of("assetTag", "AT-" + cls))), List.of())
                .body("items[0].outcome", equalTo("CREATED")); // hardware's rules do not look at assetTag
        given().contentType("application/merge-patch+json").header("If-Match", "\"0\"")
                .body(Map.of("identifierRules", List.of(List.of("assetTag")))).patch("/api/cmdb/classes/" + cls).then().statusCode(200);
        reconcile("discovery", List.of(Map.of("ciClass", cls, "attributes", Map.of("assetTag", "AT-" + cls, "capacityGb", 100))), List.of())
                .body("items[0].outcome", equalTo("AMBIGUOUS")).body("items[0].reasons[0]", containsString(id));
    }

    @Test
    void batchesAreBoundedAndNeedASource() {
        given().contentType(ContentType.JSON).body(Map.of("items", List.of())).post("/api/cmdb/reconcile").then().statusCode(400)
                .body("errors.field", hasItem("source"));
        given().contentType(ContentType.JSON).body("{\"source\":\"discovery\",\"items\":{}}").post("/api/cmdb/reconcile").then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("source", "Bad Source")).post("/api/cmdb/reconcile").then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("source", "discovery", "items", java.util.Collections.nCopies(10_001, Map.of())))
                .post("/api/cmdb/reconcile").then().statusCode(400).body("errors[0].field", containsString("items"));
        reconcile("discovery", List.of(), List.of()).statusCode(200).body("id", notNullValue()).body("counts.created", equalTo(0));
        // a field an item does not have (here the hostname meant for its attributes) refuses the batch, naming it
        String name = "unknown-field-" + UUID.randomUUID().toString().substring(0, 8);
        reconcile("discovery", List.of(Map.of("ciClass", "server", "name", name), Map.of("ciClass", "server", "name", name + "-2",
                "hostname", "h1")), List.of()).statusCode(400).body("errors.field", equalTo(List.of("items[1].hostname")))
                .body("errors[0].message", startsWith("is not a known field; the fields here are attributes, ciClass,"));
        given().queryParam("q", name).queryParam("count", true).get("/api/cmdb/cis").then().statusCode(200).header("X-Total-Count", "0");
    }

    @Test
    @TestSecurity(user = "sam.agent", roles = "itsm-agent")
    void onlyCmdbAdminsImport() {
        reconcile("discovery", List.of(), List.of()).statusCode(403);
    }
}
