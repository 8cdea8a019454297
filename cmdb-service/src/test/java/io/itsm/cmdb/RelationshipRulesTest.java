package io.itsm.cmdb;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Every relationship type of the standard classes, once allowed and once refused, by its name and by its inverse name. */
@QuarkusTest
@TestSecurity(user = "sam.agent", roles = "itsm-agent")
class RelationshipRulesTest {

    private static String ci(String ciClass) {
        return CiResourceTest.create(Map.of("ciClass", ciClass, "name", ciClass + "-" + UUID.randomUUID())).then().statusCode(201)
                .extract().path("id");
    }

    private static ValidatableResponse relate(String source, String type, String target) {
        return given().contentType(ContentType.JSON).body(Map.of("sourceId", source, "type", type, "targetId", target))
                .post("/api/cmdb/relationships").then();
    }

    @ParameterizedTest(name = "{0} {1} {2}: {3}")
    @CsvSource({
            // DEPENDS_ON: any CI may depend on any CI (rule of the root class)
            "business_service, DEPENDS_ON, database, 201",
            "linux_server,     DEPENDS_ON, technical_service, 201",
            // RUNS_ON: software and clusters on hardware; hardware on hardware or a cluster; never on software or a service
            "application,      RUNS_ON,    virtual_machine, 201",
            "database,         RUNS_ON,    cluster, 201",
            "application,      RUNS_ON,    database, 422",
            "business_service, RUNS_ON,    server, 422",
            // HOSTED_ON: hardware on hardware; a service is hosted nowhere
            "virtual_machine,  HOSTED_ON,  linux_server, 201",
            "virtual_machine,  HOSTED_ON,  application, 422",
            "technical_service, HOSTED_ON, server, 422",
            // CONTAINS: hardware contains hardware, services contain services and software; software contains no hardware
            "hardware,         CONTAINS,   server, 201",
            "business_service, CONTAINS,   technical_service, 201",
            "application,      CONTAINS,   server, 422",
            // CONNECTS_TO: between hardware, from software to software or hardware; not to a service
            "network_device,   CONNECTS_TO, server, 201",
            "application,      CONNECTS_TO, database, 201",
            "network_device,   CONNECTS_TO, application, 422",
            "application,      CONNECTS_TO, business_service, 422",
            // MEMBER_OF: hardware and software join clusters, nothing else
            "linux_server,     MEMBER_OF,  cluster, 201",
            "database,         MEMBER_OF,  cluster, 201",
            "linux_server,     MEMBER_OF,  server, 422",
            "business_service, MEMBER_OF,  cluster, 422"
    })
    void theClassesAtBothEndsDecide(String sourceClass, String type, String targetClass, int status) {
        String source = ci(sourceClass);
        String target = ci(targetClass);
        ValidatableResponse answer = relate(source, type, target).statusCode(status);
        if (status == 422) {
            answer.contentType(CiResourceTest.PROBLEM).body("errors[0].field", equalTo("type"))
                    .body("detail", containsString(sourceClass));
        }
        String inverse = switch (type) {
            case "DEPENDS_ON" -> "USED_BY";
            case "RUNS_ON" -> "RUNS";
            case "HOSTED_ON" -> "HOSTS";
            case "CONTAINS" -> "CONTAINED_BY";
            case "CONNECTS_TO" -> "CONNECTED_BY";
            default -> "HAS_MEMBER";
        };
        // the same edge by its inverse name from the other end: a duplicate when allowed, the same refusal when not
        relate(target, inverse, source).statusCode(status == 201 ? 409 : 422);
    }
}
