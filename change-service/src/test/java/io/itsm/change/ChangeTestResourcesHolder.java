package io.itsm.change;

import java.util.Set;
import java.util.UUID;

import io.itsm.rest.Roles;
import io.itsm.testsupport.KafkaTestResource;
import io.itsm.testsupport.PostgresTestResource;
import io.itsm.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Base of the change-service HTTP tests: the real Kafka broker and PostgreSQL they run against, and callers with real JWTs. */
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = "topics", value = "itsm.change.events,itsm.change.events.dlq,itsm.incident.events,itsm.incident.events.dlq,itsm.cmdb.events,itsm.cmdb.events.dlq"))
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "change"))
abstract class ChangeTestResourcesHolder {

    static final String AGENT = TestTokens.token("sam.agent", Set.of(Roles.AGENT));
    static final String MANAGER = TestTokens.token("max.manager", Set.of(Roles.CHANGE_MANAGER));
    static final String CAB_1 = TestTokens.token("cat.cab", Set.of(Roles.CAB));
    static final String CAB_2 = TestTokens.token("cole.cab", Set.of(Roles.CAB));
    static final String READER = TestTokens.token("rita.reader", Set.of(Roles.READER));

    static RequestSpecification as(String token) {
        return RestAssured.given().auth().oauth2(token);
    }

    /** A change ready for authorization: plans, the CIs given and a Saturday-night window, so LOW risk with one CI. */
    static String complete(UUID ci, String start, String end) {
        return """
                {"type":"NORMAL","shortDescription":"Patch mail","implementationPlan":"drain, patch, rejoin","backoutPlan":"restore snapshot",
                 "testPlan":"send a test mail","configurationItemIds":["%s"],"plannedStart":"%s","plannedEnd":"%s"}""".formatted(ci, start, end);
    }

    static String raise(String token, String body) {
        return as(token).contentType(ContentType.JSON).body(body).post("/api/changes").then().statusCode(201).extract().path("id");
    }

    static String etag(String id) {
        return as(READER).get("/api/changes/" + id).then().statusCode(200).extract().header("ETag");
    }

    /** Moves a change as {@code token}, expecting {@code status}; the transition body is {@code {"to": to, ...extra}}. */
    static io.restassured.response.ValidatableResponse move(String token, String id, String to, String extra, int status) {
        return as(token).header("If-Match", etag(id)).contentType(ContentType.JSON)
                .body("{\"to\":\"" + to + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}")
                .post("/api/changes/" + id + "/transitions").then().statusCode(status);
    }

    static void approve(String token, String id) {
        as(token).contentType(ContentType.JSON).body("{\"decision\":\"APPROVED\"}").post("/api/changes/" + id + "/approvals").then().statusCode(200);
    }
}
