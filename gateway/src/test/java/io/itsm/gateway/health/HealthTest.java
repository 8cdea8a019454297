package io.itsm.gateway.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.itsm.gateway.upstream.FakeUpstreams;
import io.itsm.gateway.upstream.FakeUpstreamsResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(FakeUpstreamsResource.class)
class HealthTest {

    /** Everything: liveness, readiness and the services (wellness). */
    private static final String HEALTH = "/q/health";
    private static final String READY = "/q/health/ready";

    FakeUpstreams upstreams;

    @AfterEach
    void restore() {
        upstreams.restoreAll();
    }

    @Test
    void upWhenEveryUpstreamIsReadyListingTheirChecks() {
        given().when().get(HEALTH)
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("gateway", "incident-service", "change-service", "cmdb-service"))
                .body("checks.find { it.name == 'incident-service' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'incident-service' }.data.url", equalTo(upstreams.incident().url()))
                .body("checks.find { it.name == 'change-service' }.data.'Database connections health check'",
                        equalTo("UP"))
                .body("checks.find { it.name == 'cmdb-service' }.data.'Kafka connection health check'",
                        equalTo("UP"));
    }

    @Test
    void downWhenAnUpstreamIsNotReadyWhileTheGatewayStaysReady() {
        upstreams.change().ready(false);

        given().when().get(HEALTH)
                .then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'change-service' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'change-service' }.data.httpStatus", equalTo(503))
                .body("checks.find { it.name == 'change-service' }.data.'Kafka connection health check'",
                        equalTo("DOWN"))
                .body("checks.find { it.name == 'incident-service' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'gateway' }.status", equalTo("UP"));
        // a service that is down must not take the gateway out of its Kubernetes Service: the others still work
        given().when().get(READY)
                .then().statusCode(200)
                .body("checks.name", containsInAnyOrder("gateway"));
        given().when().get("/q/health/well")
                .then().statusCode(503)
                .body("checks.name", containsInAnyOrder("incident-service", "change-service", "cmdb-service"));
    }

    @Test
    void downWhenAnUpstreamIsStopped() {
        upstreams.cmdb().stop();

        given().when().get(HEALTH)
                .then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'cmdb-service' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'cmdb-service' }.data.error", containsString("refused"))
                .body("checks.status", hasItem("UP"));
    }

    @Test
    void livenessDoesNotDependOnUpstreams() {
        upstreams.incident().stop();

        given().when().get("/q/health/live")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", containsInAnyOrder("gateway"));
    }
}
