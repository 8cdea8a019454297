package io.itsm.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.itsm.gateway.security.AuthorizedRequests;
import io.itsm.gateway.upstream.FakeUpstream;
import io.itsm.gateway.upstream.FakeUpstreams;
import io.itsm.gateway.upstream.FakeUpstreamsResource;
import io.itsm.testsupport.RawHttp;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.response.Response;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

@QuarkusTest
@WithTestResource(FakeUpstreamsResource.class)
class RoutingTest {

    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    FakeUpstreams upstreams;

    String bearer;

    @BeforeEach
    void authorize() {
        bearer = AuthorizedRequests.asAgent();
    }

    @AfterEach
    void restore() {
        upstreams.restoreAll();
        AuthorizedRequests.anonymous();
    }

    @ParameterizedTest
    @CsvSource({
            "/api/incidents, incident-service",
            "/api/incidents/6f1c2d4e-0000-4000-8000-000000000001, incident-service",
            "/api/incidents/6f1c2d4e-0000-4000-8000-000000000001/history, incident-service",
            "/api/changes, change-service",
            "/api/changes/CHG0010001/transitions, change-service",
            "/api/cmdb, cmdb-service",
            "/api/cmdb/cis/CI0010001/relationships, cmdb-service" })
    void routesEachPrefixWithPathAndQueryUnchanged(String path, String service) {
        given().queryParam("state", "NEW")
                .queryParam("sort", "priority,-openedAt")
                .queryParam("cursor", "a b/c")
                .when().get(path)
                .then().statusCode(200)
                .header("X-Upstream", service)
                .body("upstream", equalTo(service))
                .body("method", equalTo("GET"))
                .body("path", equalTo(path))
                .body("query", equalTo("state=NEW&sort=priority%2C-openedAt&cursor=a%20b%2Fc"));
    }

    @Test
    void forwardsTheRawUriUnchanged() {
        given().urlEncodingEnabled(false)
                .when().get("/api/cmdb/cis?name=web%2001&tag=a&tag=b&empty=")
                .then().statusCode(200)
                .body("uri", equalTo("/api/cmdb/cis?name=web%2001&tag=a&tag=b&empty="));
    }

    @Test
    void aUriLongerThanTheLimitIsA414ProblemAndOneJustUnderItIsForwarded() {
        String base = "/api/cmdb/cis?q=";
        given().urlEncodingEnabled(false).when().get(base + "x".repeat(4000 - base.length()))
                .then().statusCode(200).body("upstream", equalTo("cmdb-service"));
        given().urlEncodingEnabled(false).when().get(base + "x".repeat(5000))
                .then().statusCode(414).contentType("application/problem+json")
                .body("status", equalTo(414)).body("detail", equalTo("The request URI is longer than 4000 characters"));
    }

    @Test
    void anHttp11RequestWithoutHostIsA400ProblemSayingSo() {
        RawHttp.Answer answer = RawHttp.send(RestAssured.port, "GET /api/incidents HTTP/1.1\r\nConnection: close\r\n\r\n");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(new JsonObject(answer.body()).getString("detail"))
                .isEqualTo("For HTTP/1.x requests, the 'Host' header is required");
    }

    @Test
    void headersBeyondTheLimitAreA431ProblemNamingTheLargestAndOnesJustUnderItAreForwarded() {
        given().header("X-Filler", "x".repeat(15_000)).when().get("/api/incidents")
                .then().statusCode(200).body("upstream", equalTo("incident-service"));
        given().header("X-Filler", "x".repeat(21_000)).when().get("/api/incidents")
                .then().statusCode(431).contentType("application/problem+json")
                .body("status", equalTo(431))
                .body("type", equalTo("urn:itsm:problem:request-header-fields-too-large"))
                .body("detail", matchesPattern("The request headers take \\d+ bytes, more than 20480; the largest is X-Filler \\(21000 bytes\\)"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/api/incidents?q=100%|query|Malformed escape pair at character 21",
            "/api/incidents/%zz/history|path|Malformed escape pair at character 16",
            "/api/cmdb/cis?q=a{b}|query|Illegal character in query at character 18",
            "/api/changes/CHG<1>|path|Illegal character in path at character 17" })
    void aRequestTargetThatIsNotAUriIsA400ProblemNamingThePartAndIsNotForwarded(String target, String part, String reason) {
        RawHttp.Answer answer = RawHttp.get(RestAssured.port, target, "Authorization: " + AuthorizedRequests.agentBearer());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        JsonObject problem = new JsonObject(answer.body());
        assertThat(problem.getString("type")).isEqualTo("urn:itsm:problem:malformed-request");
        assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo(part);
        assertThat(problem.getString("detail")).isEqualTo(part + " is not a valid URI " + part + ": " + reason);
        assertThat(problem.containsKey("upstream")).isFalse();
    }

    @Test
    void forwardsPostBodyMethodAndHeaders() {
        String body = "{\"shortDescription\":\"Mail is down\",\"impact\":1,\"urgency\":2}";
        given().contentType("application/json")
                .header("Idempotency-Key", "key-42")
                .header("Accept", "application/json")
                .body(body)
                .when().post("/api/incidents")
                .then().statusCode(200)
                .body("method", equalTo("POST"))
                .body("body", equalTo(body))
                .body("headers.content-type", containsString("application/json"))
                .body("headers.idempotency-key", equalTo("key-42"))
                .body("headers.authorization", equalTo(bearer))
                .body("headers.accept", equalTo("application/json"));
    }

    @Test
    void forwardsPatchWithIfMatchAndDeleteUnchanged() {
        given().config(RestAssured.config().encoderConfig(
                        EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .contentType("application/merge-patch+json")
                .header("If-Match", "\"3\"")
                .body("{\"urgency\":1}")
                .when().patch("/api/changes/CHG0010001")
                .then().statusCode(200)
                .body("method", equalTo("PATCH"))
                .body("headers.if-match", equalTo("\"3\""))
                .body("headers.content-type", equalTo("application/merge-patch+json"))
                .body("body", equalTo("{\"urgency\":1}"));

        given().header(FakeUpstream.ECHO_STATUS, "204")
                .when().delete("/api/cmdb/relationships/r1")
                .then().statusCode(204)
                .header("X-Upstream", "cmdb-service");
    }

    @Test
    void keepsTheUpstreamStatusAndResponseHeaders() {
        given().contentType("application/json")
                .header(FakeUpstream.ECHO_STATUS, "201")
                .header(FakeUpstream.ECHO_RESPONSE_PREFIX + "ETag", "\"1\"")
                .header(FakeUpstream.ECHO_RESPONSE_PREFIX + "Location", "/api/incidents/42")
                .header(FakeUpstream.ECHO_RESPONSE_PREFIX + "Link", "</api/incidents?cursor=abc>; rel=\"next\"")
                .header(FakeUpstream.ECHO_RESPONSE_PREFIX + "Retry-After", "7")
                .body("{}")
                .when().post("/api/incidents")
                .then().statusCode(201)
                .header("ETag", "\"1\"")
                .header("Location", containsString("/api/incidents/42"))
                .header("Link", "</api/incidents?cursor=abc>; rel=\"next\"")
                .header("Retry-After", "7");
    }

    @Test
    void passesUpstreamErrorsThrough() {
        given().header(FakeUpstream.ECHO_STATUS, "412")
                .header(FakeUpstream.ECHO_RESPONSE_PREFIX + "Content-Type", "application/problem+json")
                .when().post("/api/changes/CHG0010001/transitions")
                .then().statusCode(412)
                .header("X-Upstream", "change-service");
    }

    @Test
    void streamsLargeBodies() {
        byte[] large = "0123456789abcdef".repeat(256 * 1024).getBytes(StandardCharsets.US_ASCII); // 4 MiB
        given().contentType("application/octet-stream")
                .body(large)
                .when().put("/api/cmdb/attachments/big")
                .then().statusCode(200)
                .body("bodyLength", equalTo(large.length))
                .body("headers.content-length", equalTo(String.valueOf(large.length)))
                .body("bodySha256", equalTo(FakeUpstream.sha256(Buffer.buffer(large))));
    }

    @Test
    void streamsChunkedBodies() throws Exception {
        byte[] large = "fedcba9876543210".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII); // 1 MiB
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port
                        + "/api/incidents/attachments"))
                .header("Content-Type", "application/octet-stream")
                .header("Authorization", AuthorizedRequests.agentBearer())
                // unknown length, so the JDK client sends it chunked
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(large)))
                .build();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject echo = new JsonObject(response.body());
        assertThat(echo.getJsonObject("headers").getString("transfer-encoding")).isEqualTo("chunked");
        assertThat(echo.getInteger("bodyLength")).isEqualTo(large.length);
        assertThat(echo.getString("bodySha256")).isEqualTo(FakeUpstream.sha256(Buffer.buffer(large)));
    }

    @Test
    void answersExpectContinueItselfSoUploadsDoNotStall() throws Exception {
        String body = "{\"shortDescription\":\"x\"}";
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/incidents HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + AuthorizedRequests.agentBearer() + "\r\nConnection: close\r\n"
                    + "Expect: 100-continue\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            // The client sends its body only after the interim response.
            assertThat(new String(in.readNBytes(25), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            out.write(body.getBytes(StandardCharsets.US_ASCII));
            out.flush();

            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200")
                    .contains("\"upstream\":\"incident-service\"")
                    .doesNotContain("\"expect\""); // not forwarded: the gateway answered it
        }
    }

    @Test
    void declaredOversizedBodiesAre413Problems() throws Exception {
        // A raw socket: the gateway answers from the headers alone, without reading the (never sent) body.
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("PUT /api/cmdb/attachments/huge HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + AuthorizedRequests.agentBearer() + "\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: 999999999\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(response).startsWith("HTTP/1.1 413")
                    .containsIgnoringCase("content-type: application/problem+json")
                    .contains("\"status\":413", "\"instance\":\"/api/cmdb/attachments/huge\"");
        }
    }

    @Test
    void createsARequestIdWhenTheClientSentNone() {
        Response response = given().when().get("/api/incidents/1");
        response.then().statusCode(200).header(RequestIds.HEADER, matchesPattern(UUID_PATTERN));
        assertThat(response.jsonPath().getString("headers.x-request-id"))
                .isEqualTo(response.header(RequestIds.HEADER));
    }

    @Test
    void startsATraceWhenTheClientSentNoValidTraceparent() {
        String forwarded = given().when().get("/api/incidents/1").jsonPath().getString("headers.traceparent");
        assertThat(forwarded).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        assertThat(given().when().get("/api/incidents/1").jsonPath().getString("headers.traceparent")).isNotEqualTo(forwarded);

        for (String invalid : new String[] {"garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"}) {
            var echo = given().header("traceparent", invalid).header("tracestate", "vendor=x")
                    .when().get("/api/changes").jsonPath();
            assertThat(echo.getString("headers.traceparent")).as(invalid).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
            assertThat(echo.getString("headers.tracestate")).as(invalid).isNull();
        }
    }

    @Test
    void keepsTheClientsValidTraceparentAndTracestate() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        given().header("traceparent", traceparent).header("tracestate", "vendor=x")
                .when().get("/api/cmdb/cis")
                .then().statusCode(200)
                .body("headers.traceparent", equalTo(traceparent))
                .body("headers.tracestate", equalTo("vendor=x"));
    }

    @Test
    void keepsTheClientsRequestId() {
        given().header(RequestIds.HEADER, "client-chosen-id-1")
                .when().get("/api/changes")
                .then().statusCode(200)
                .header(RequestIds.HEADER, "client-chosen-id-1")
                .body("headers.x-request-id", equalTo("client-chosen-id-1"));
    }

    @Test
    void keepsTheClientsRequestIdEvenWhenTheUpstreamEchoesAnother() {
        given().header(RequestIds.HEADER, "mine")
                .header(FakeUpstream.ECHO_RESPONSE_PREFIX + RequestIds.HEADER, "theirs")
                .when().get("/api/changes")
                .then().statusCode(200)
                .header(RequestIds.HEADER, "mine");
    }

    @Test
    void tellsTheUpstreamWhoAsked() {
        Response response = given().when().get("/api/incidents");
        response.then().statusCode(200)
                .body("headers.x-forwarded-for", equalTo("127.0.0.1"))
                .body("headers.x-forwarded-proto", equalTo("http"))
                .body("headers.x-forwarded-host", notNullValue());
        // The client's Host is kept, so links built by the service point at the gateway.
        assertThat(response.jsonPath().getString("headers.host"))
                .isEqualTo(response.jsonPath().getString("headers.x-forwarded-host"))
                .doesNotContain(upstreams.incident().url().replace("http://", ""));
    }

    @ParameterizedTest
    @CsvSource({ "/", "/nope", "/api", "/api/incidentsX", "/api/cmdbx/1", "/api/unknown/1", "/q/nope" })
    void unknownPathsAre404ProblemsNeverHtml(String path) {
        given().header("Accept", "text/html")
                .when().get(path)
                .then().statusCode(404)
                .contentType("application/problem+json")
                .header(RequestIds.HEADER, notNullValue())
                .body("type", equalTo("urn:itsm:problem:not-found"))
                .body("title", equalTo("Not Found"))
                .body("status", equalTo(404))
                .body("detail", containsString(path))
                .body("instance", equalTo(path));
    }

    @Test
    void wrongMethodOnAGatewayRouteIsA405Problem() {
        given().header("Accept", "text/html")
                .when().post("/openapi/incident")
                .then().statusCode(405)
                .contentType("application/problem+json")
                .body("status", equalTo(405))
                .body("instance", equalTo("/openapi/incident"));
    }
}
