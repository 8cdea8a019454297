package io.itsm.gateway.overview;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.itsm.gateway.security.AuthorizedRequests;
import io.itsm.gateway.upstream.FakeUpstreams;
import io.itsm.gateway.upstream.FakeUpstreamsResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(FakeUpstreamsResource.class)
class CiOverviewTest {

    private static final String CI_ID = "3f2c1a9e-6b7d-4e8f-9a0b-1c2d3e4f5a6b";
    private static final String CI = "{\"id\":\"" + CI_ID + "\",\"number\":\"CI0010001\",\"name\":\"mail-01\"}";
    private static final String INCIDENTS = "[{\"number\":\"INC0010001\",\"priority\":1},{\"number\":\"INC0010002\",\"priority\":3}]";
    private static final String CHANGES = "[{\"number\":\"CHG2\",\"plannedStart\":\"2026-12-09T10:00:00Z\"},"
            + "{\"number\":\"CHG3\"},{\"number\":\"CHG1\",\"plannedStart\":\"2026-12-03T10:00:00Z\"}]";

    FakeUpstreams upstreams;

    String bearer;

    @BeforeEach
    void servicesAnswer() {
        bearer = AuthorizedRequests.asAgent();
        upstreams.cmdb().stub("/api/cmdb/cis/" + CI_ID, 200, CI);
        upstreams.cmdb().stub("/api/cmdb/cis/CI0010001", 200, CI);
        upstreams.incident().stub("/api/incidents", 200, INCIDENTS);
        upstreams.change().stub("/api/changes", 200, CHANGES);
    }

    @AfterEach
    void restore() {
        upstreams.restoreAll();
        AuthorizedRequests.anonymous();
    }

    @Test
    void joinsTheCiItsOpenIncidentsAndItsChangesByPlannedStart() {
        given().when().get("/api/cmdb/cis/" + CI_ID + "/overview")
                .then().statusCode(200)
                .contentType("application/json")
                .body("ci.name", equalTo("mail-01"))
                .body("openIncidents.number", contains("INC0010001", "INC0010002"))
                .body("changes.number", contains("CHG1", "CHG2", "CHG3"))
                .body("openIncidentsTruncated", equalTo(false))
                .body("warnings", empty());

        var incidents = upstreams.incident().lastRequest("/api/incidents");
        assertThat(incidents.query()).isEqualTo("configurationItemId=" + CI_ID
                + "&state=NEW&state=IN_PROGRESS&state=ON_HOLD&sort=priority,-openedAt&limit=100");
        assertThat(incidents.getHeader("Authorization")).isEqualTo(bearer);
        assertThat(incidents.getHeader("X-Request-Id")).isNotBlank();
        assertThat(upstreams.change().lastRequest("/api/changes").query()).isEqualTo("configurationItemId=" + CI_ID
                + "&state=NEW&state=ASSESS&state=AUTHORIZE&state=SCHEDULED&state=IMPLEMENT&limit=100");
    }

    @Test
    void aCiNumberIsResolvedToItsIdForTheOtherServices() {
        given().when().get("/api/cmdb/cis/CI0010001/overview")
                .then().statusCode(200)
                .body("ci.id", equalTo(CI_ID))
                .body("openIncidents.size()", equalTo(2));
        assertThat(upstreams.incident().lastRequest("/api/incidents").query()).startsWith("configurationItemId=" + CI_ID + "&");
    }

    @Test
    void aStoppedServiceLeavesItsPartOutWithAWarningNotAnError() {
        upstreams.incident().stop();
        given().when().get("/api/cmdb/cis/" + CI_ID + "/overview")
                .then().statusCode(200)
                .body("ci.name", equalTo("mail-01"))
                .body("openIncidents", nullValue())
                .body("changes.size()", equalTo(3))
                .body("warnings.service", contains("incident-service"))
                .body("warnings[0].part", equalTo("openIncidents"))
                .body("warnings[0].detail", containsString("connection refused"));
    }

    @Test
    void aSlowServiceIsLeftOutAfterTheOverviewTimeout() {
        upstreams.change().stubSlow("/api/changes", 3_000, CHANGES);
        long started = System.nanoTime();
        given().when().get("/api/cmdb/cis/" + CI_ID + "/overview")
                .then().statusCode(200)
                .body("changes", nullValue())
                .body("openIncidents.size()", equalTo(2))
                .body("warnings[0].service", equalTo("change-service"))
                .body("warnings[0].detail", containsString("no answer within 1000 ms"));
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(2_900);
    }

    @Test
    void withTheCmdbDownTheOtherPartsAreStillThere() {
        upstreams.cmdb().stop();
        given().when().get("/api/cmdb/cis/" + CI_ID + "/overview")
                .then().statusCode(200)
                .body("ci", nullValue())
                .body("openIncidents.size()", equalTo(2))
                .body("warnings.service", contains("cmdb-service"));
    }

    @Test
    void aServiceRefusingItsPartGivesAWarningWithItsReason() {
        upstreams.change().stub("/api/changes", 500, "{\"status\":500,\"detail\":\"boom\"}");
        given().when().get("/api/cmdb/cis/" + CI_ID + "/overview")
                .then().statusCode(200)
                .body("changes", nullValue())
                .body("warnings[0].detail", equalTo("change-service did not answer this part: HTTP 500: boom"));
    }

    @Test
    void anUnknownCiIsTheCmdbs404() {
        upstreams.cmdb().stub("/api/cmdb/cis/CI0999999", 404,
                "{\"type\":\"urn:itsm:problem:not-found\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"No CI CI0999999\"}");
        given().when().get("/api/cmdb/cis/CI0999999/overview")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("No CI CI0999999"))
                .body("instance", equalTo("/api/cmdb/cis/CI0999999/overview"));
    }

    @Test
    void aCmdbAnswerWithoutAnIdLeavesTheOtherPartsOutInsteadOfHanging() {
        upstreams.cmdb().stub("/api/cmdb/cis/CI0010002", 200, "{\"name\":\"no id\"}");
        given().when().get("/api/cmdb/cis/CI0010002/overview")
                .then().statusCode(200)
                .body("ci.name", equalTo("no id"))
                .body("openIncidents", nullValue())
                .body("warnings.part", contains("openIncidents", "changes"))
                .body("warnings[0].detail", containsString("not asked"));
    }

    @Test
    void needsAToken() {
        AuthorizedRequests.anonymous();
        given().when().get("/api/cmdb/cis/" + CI_ID + "/overview").then().statusCode(401);
    }
}
