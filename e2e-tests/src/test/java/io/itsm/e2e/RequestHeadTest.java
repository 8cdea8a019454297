package io.itsm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.itsm.localstack.LocalIssuer;
import io.itsm.localstack.ServiceProcess;
import io.itsm.testsupport.RawHttp;

/**
 * What is wrong with a request's head gets a problem from the gateway and from each service, as the run command starts
 * them, where Quarkus would answer with an empty body before any route: a request target that is not a URI
 * ({@code ?q=100%}, an unencoded {@code <} or {@code {}, a malformed escape in the path; Quarkus's check is turned off
 * by the services' and the gateway's main classes), a URI too long, headers too large.
 */
@ExtendWith(RunningSuite.class)
@Order(12)
class RequestHeadTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A target in a service's paths, the part of it at fault, and why. */
    private record Target(String service, String uri, String part, String reason) {
    }

    private static final List<Target> TARGETS = List.of(
            new Target("incident-service", "/api/incidents?q=disk%20100%", "query", "Malformed escape pair at character 28"),
            new Target("incident-service", "/api/incidents/%zz", "path", "Malformed escape pair at character 16"),
            new Target("change-service", "/api/changes/CHG<1>", "path", "Illegal character in path at character 17"),
            new Target("cmdb-service", "/api/cmdb/cis?q=a{b}", "query", "Illegal character in query at character 18"));

    private final String bearer = "Authorization: Bearer " + LocalIssuer.token("e2e", List.of("itsm-reader"),
            Duration.ofMinutes(10));
    private final Map<String, Integer> ports = RunningSuite.stack().services().stream()
            .collect(Collectors.toMap(ServiceProcess::name, ServiceProcess::port));

    @Test
    void aTargetThatIsNotAUriIsA400ProblemNamingThePartAtFault() throws Exception {
        for (Target target : TARGETS) {
            for (int port : new int[] { ports.get(target.service()), ports.get("gateway") }) {
                RawHttp.Answer answer = RawHttp.get(port, target.uri(), bearer);
                String where = target.uri() + " on port " + port;
                assertThat(answer.status()).as(where).isEqualTo(400);
                assertThat(answer.header("Content-Type")).as(where).isEqualTo("application/problem+json");
                JsonNode problem = JSON.readTree(answer.body());
                assertThat(problem.path("type").asText()).as(where).isEqualTo("urn:itsm:problem:malformed-request");
                assertThat(problem.path("errors").path(0).path("field").asText()).as(where).isEqualTo(target.part());
                assertThat(problem.path("detail").asText()).as(where)
                        .isEqualTo(target.part() + " is not a valid URI " + target.part() + ": " + target.reason());
            }
        }
    }

    @Test
    void aUriTooLongIsA414ProblemAndHeadersTooLargeA431Problem() throws Exception {
        for (String service : List.of("incident-service", "change-service", "cmdb-service", "gateway")) {
            int port = ports.get(service);
            RawHttp.Answer longUri = RawHttp.get(port, "/api/incidents?q=" + "x".repeat(5_000), bearer);
            assertThat(longUri.status()).as(service).isEqualTo(414);
            assertThat(longUri.header("Content-Type")).as(service).isEqualTo("application/problem+json");
            assertThat(JSON.readTree(longUri.body()).path("status").asInt()).as(service).isEqualTo(414);

            RawHttp.Answer bigHeaders = RawHttp.get(port, "/api/incidents", bearer, "X-Filler: " + "x".repeat(30_000));
            assertThat(bigHeaders.status()).as(service).isEqualTo(431);
            assertThat(bigHeaders.header("Content-Type")).as(service).isEqualTo("application/problem+json");
            assertThat(JSON.readTree(bigHeaders.body()).path("detail").asText()).as(service)
                    .endsWith("the largest is X-Filler (30000 bytes)");
        }
    }

    @Test
    void headersJustUnderTheGatewaysLimitAreForwardedAndAcceptedByTheService() {
        // the gateway adds headers of its own (request id, trace context, forwarded-for): the services' limit is higher
        RawHttp.Answer answer = RawHttp.get(ports.get("gateway"), "/api/incidents?limit=1", bearer,
                "X-Filler: " + "x".repeat(19_000));
        assertThat(answer.status()).isEqualTo(200);
    }
}
