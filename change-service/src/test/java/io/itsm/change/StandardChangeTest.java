package io.itsm.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The standard-change catalogue and the pre-approved path of a STANDARD change raised from it. */
@QuarkusTest
class StandardChangeTest extends ChangeTestResourcesHolder {

    private static String template(String name, UUID ci) {
        return as(MANAGER).contentType(ContentType.JSON).body("""
                        {"name":"%s","shortDescription":"Monthly OS patch","implementationPlan":"drain, update, reboot, rejoin",
                         "backoutPlan":"boot the previous kernel","testPlan":"health check green","configurationItemIds":["%s"],
                         "assignmentGroup":"web-ops"}""".formatted(name, ci))
                .post("/api/changes/templates").then().statusCode(201).header("ETag", "\"0\"").body("active", equalTo(true))
                .extract().path("id");
    }

    @Test
    void aStandardChangeFromATemplateIsPreApprovedAndKeepsItsPlans() {
        UUID ci = UUID.randomUUID();
        String template = template("OS patch " + ci, ci);
        String id = as(AGENT).contentType(ContentType.JSON).body("""
                        {"type":"STANDARD","templateId":"%s","plannedStart":"2027-05-08T22:00:00Z","plannedEnd":"2027-05-08T23:00:00Z"}"""
                        .formatted(template))
                .post("/api/changes").then().statusCode(201)
                .body("templateId", equalTo(template)).body("shortDescription", equalTo("Monthly OS patch"))
                .body("implementationPlan", equalTo("drain, update, reboot, rejoin")).body("configurationItemIds", equalTo(List.of(ci.toString())))
                .body("assignmentGroup", equalTo("web-ops")).body("approvalStatus.required", equalTo(List.of()))
                .body("approvalStatus.satisfied", equalTo(true)).extract().path("id");

        as(AGENT).get("/api/changes/" + id + "/transitions").then().body("allowed", equalTo(List.of("SCHEDULED", "CANCELED")));
        as(AGENT).header("If-Match", "\"0\"").contentType("application/merge-patch+json").body("{\"implementationPlan\":\"just do it\"}")
                .patch("/api/changes/" + id).then().statusCode(409).body("detail", containsString("come from its template"));
        as(AGENT).header("If-Match", "\"0\"").contentType("application/merge-patch+json").body("{\"templateId\":null}")
                .patch("/api/changes/" + id).then().statusCode(400).body("errors[0].field", equalTo("templateId"));
        move(AGENT, id, "SCHEDULED", "", 200);
        move(AGENT, id, "IMPLEMENT", "", 200);
        move(AGENT, id, "REVIEW", "", 200);
        move(AGENT, id, "CLOSED", "\"closeCode\":\"SUCCESSFUL\"", 200).body("state", equalTo("CLOSED"));
    }

    @Test
    void aStandardChangeNeedsAnActiveTemplateAndMayNotDeviateFromIt() {
        UUID ci = UUID.randomUUID();
        String template = template("Cert renewal " + ci, ci);
        as(AGENT).contentType(ContentType.JSON).body("{\"type\":\"STANDARD\",\"shortDescription\":\"x\"}").post("/api/changes")
                .then().statusCode(422).body("errors[0].field", equalTo("templateId")).body("detail", containsString("NORMAL"));
        as(AGENT).contentType(ContentType.JSON).body("{\"type\":\"STANDARD\",\"templateId\":\"" + UUID.randomUUID() + "\"}").post("/api/changes")
                .then().statusCode(422).body("detail", containsString("does not exist"));
        as(AGENT).contentType(ContentType.JSON).body("{\"type\":\"STANDARD\",\"templateId\":\"" + template + "\",\"backoutPlan\":\"none\"}")
                .post("/api/changes").then().statusCode(422).body("errors[0].field", equalTo("backoutPlan"));
        as(AGENT).contentType(ContentType.JSON).body("{\"type\":\"STANDARD\",\"templateId\":\"" + template + "\",\"backoutPlan\":\"boot the previous kernel\"}")
                .post("/api/changes").then().statusCode(201);

        as(MANAGER).header("If-Match", "\"0\"").contentType("application/merge-patch+json").body("{\"active\":false}")
                .patch("/api/changes/templates/" + template).then().statusCode(200).body("active", equalTo(false)).header("ETag", "\"1\"");
        as(AGENT).contentType(ContentType.JSON).body("{\"type\":\"STANDARD\",\"templateId\":\"" + template + "\"}").post("/api/changes")
                .then().statusCode(422).body("detail", containsString("no longer active"));
        as(READER).get("/api/changes/templates?active=true&configurationItemId=" + ci).then().statusCode(200).body("id", not(hasItem(template)));
        as(READER).get("/api/changes/templates?active=false&configurationItemId=" + ci).then().statusCode(200).body("id", equalTo(List.of(template)));
    }

    @Test
    void theCatalogueFiltersSortsAndPagesLikeEveryList() {
        UUID ci = UUID.randomUUID();
        String marker = "catalogue-" + ci;
        String b = template(marker + " b", ci);
        String a = template(marker + " a", ci);
        String c = template(marker + " c", UUID.randomUUID());
        String next = as(READER).get("/api/changes/templates?q=" + marker.toUpperCase() + "&limit=2&count=true").then().statusCode(200)
                .header("X-Total-Count", "3").body("id", equalTo(List.of(a, b))).extract().header("Link");
        assertThat(next).contains("rel=\"next\"").startsWith("</api/changes/templates?");
        as(READER).get(next.substring(next.indexOf('<') + 1, next.indexOf('>'))).then().statusCode(200)
                .body("id", equalTo(List.of(c))).header("Link", org.hamcrest.Matchers.nullValue());
        as(READER).get("/api/changes/templates?configurationItemId=" + ci + "&sort=-name").then().statusCode(200).body("id", equalTo(List.of(b, a)));
        as(READER).get("/api/changes/templates?q=" + marker + "&sort=-createdAt").then().statusCode(200).body("id", equalTo(List.of(c, a, b)));
        as(READER).get("/api/changes/templates?q=" + marker.replace('-', '_')).then().statusCode(200).body("id", equalTo(List.of()));
        as(READER).get("/api/changes/templates?sort=risk").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("sort"));
        as(READER).get("/api/changes/templates?limit=501").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        as(READER).get("/api/changes/templates?cursor=nonsense").then().statusCode(400).body("errors[0].field", equalTo("cursor"));
        as(READER).get("/api/changes/templates?configurationItemId=web-01").then().statusCode(400)
                .body("errors[0].field", equalTo("configurationItemId"));
    }

    @Test
    void templatesAreValidatedAndBelongToChangeManagers() {
        UUID ci = UUID.randomUUID();
        template("Unique " + ci, ci);
        as(MANAGER).contentType(ContentType.JSON).body("""
                        {"name":"Unique %s","shortDescription":"x","implementationPlan":"a","backoutPlan":"b","testPlan":"c","configurationItemIds":["%s"]}"""
                        .formatted(ci, ci))
                .post("/api/changes/templates").then().statusCode(409).contentType("application/problem+json");
        as(MANAGER).contentType(ContentType.JSON).body("{\"name\":\"incomplete\",\"shortDescription\":\"x\",\"configurationItemIds\":[]}")
                .post("/api/changes/templates").then().statusCode(400)
                .body("errors.field", equalTo(List.of("backoutPlan", "configurationItemIds", "implementationPlan", "testPlan")));
        as(AGENT).contentType(ContentType.JSON).body("{}").post("/api/changes/templates").then().statusCode(403);
        as(READER).get("/api/changes/templates/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void templatesCreatedAtOnceWithOneNameGiveOneTemplateAndConflictsNeverA500() throws Exception {
        UUID ci = UUID.randomUUID();
        String body = """
                {"name":"Race %s","shortDescription":"x","implementationPlan":"a","backoutPlan":"b","testPlan":"c","configurationItemIds":["%s"]}"""
                .formatted(ci, ci);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(clients.submit(() -> as(MANAGER).contentType(ContentType.JSON).body(body)
                        .post("/api/changes/templates").then().contentType(containsString("json")).extract().statusCode()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            // the name check and the insert race: the loser of the insert gets the same 409 as one that checked late
            assertThat(statuses).containsOnly(201, 409).containsOnlyOnce(201);
        } finally {
            clients.shutdownNow();
        }
    }
}
