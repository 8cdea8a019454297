package io.itsm.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.itsm.gateway.security.AuthorizedRequests;
import io.itsm.gateway.upstream.FakeUpstreams;
import io.itsm.gateway.upstream.FakeUpstreamsResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

@QuarkusTest
@WithTestResource(FakeUpstreamsResource.class)
class UnavailableUpstreamTest {

    FakeUpstreams upstreams;

    @BeforeEach
    void authorize() {
        AuthorizedRequests.asAgent();
    }

    @AfterEach
    void restore() {
        upstreams.restoreAll();
        AuthorizedRequests.anonymous();
    }

    @Test
    void aStoppedUpstreamGivesA503ProblemNamingTheServiceQuickly() {
        given().when().get("/api/changes").then().statusCode(200); // warm up client and gateway
        upstreams.change().stop();

        Response response = given().header("Accept", "text/html")
                .contentType("application/json")
                .body("{\"to\":\"APPROVED\"}")
                .when().post("/api/changes/CHG0010001/transitions?dryRun=true");

        response.then().statusCode(503)
                .contentType("application/problem+json")
                .header(RequestIds.HEADER, notNullValue())
                .body("type", equalTo("urn:itsm:problem:upstream-unavailable"))
                .body("title", equalTo("Service Unavailable"))
                .body("status", equalTo(503))
                .body("detail", containsString("change-service is unavailable"))
                .body("instance", equalTo("/api/changes/CHG0010001/transitions"));
        assertThat(response.timeIn(TimeUnit.MILLISECONDS)).isLessThan(2000);

        // The other services are unaffected.
        given().when().get("/api/incidents").then().statusCode(200);
    }

    @Test
    void theUpstreamServesAgainOnceItIsBack() {
        upstreams.incident().stop();
        given().when().get("/api/incidents").then().statusCode(503)
                .body("detail", containsString("incident-service"));

        upstreams.incident().start();
        given().when().get("/api/incidents").then().statusCode(200)
                .body("upstream", equalTo("incident-service"));
    }

    @Test
    void anUpstreamThatDoesNotAnswerGivesA503AfterTheRequestTimeout() {
        Response response = given().when().get("/api/cmdb/cis/slow");

        response.then().statusCode(503)
                .contentType("application/problem+json")
                .body("detail", containsString("cmdb-service is unavailable"))
                .body("detail", containsString("no answer within 1000 ms"));
        // request-timeout is 1 s in the tests
        assertThat(response.timeIn(TimeUnit.MILLISECONDS)).isBetween(1000L, 4000L);
    }

    @Test
    void theRequestTimeoutStartsOnlyOnceTheUploadIsComplete() throws Exception {
        // request-timeout is 1 s in the tests; this client takes 1.5 s to send its body.
        String body = "{\"shortDescription\":\"slow client\"}";
        int half = body.length() / 2;
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/incidents HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + AuthorizedRequests.agentBearer() + "\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n"
                    + body.substring(0, half)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            CompletableFuture.runAsync(() -> {
                try {
                    out.write(body.substring(half).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, CompletableFuture.delayedExecutor(1500, TimeUnit.MILLISECONDS)).get(5, TimeUnit.SECONDS);

            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200").contains("\"upstream\":\"incident-service\"")
                    .contains(body.replace("\"", "\\\""));
        }
    }

    @Test
    void anUnreachableApiDocumentIsA503Problem() {
        upstreams.cmdb().stop();
        given().when().get("/openapi/cmdb")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .body("detail", containsString("cmdb-service is unavailable"))
                .body("instance", equalTo("/openapi/cmdb"));
    }
}
