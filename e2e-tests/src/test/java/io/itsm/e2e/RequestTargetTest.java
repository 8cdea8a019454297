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
 * A request target that is not a URI ({@code ?q=100%}, an unencoded {@code <} or {@code {}, a malformed escape in the
 * path) gets a 400 problem naming the part at fault from the gateway and from each service, as they are started by
 * the run command: Quarkus's own check would answer with an empty body, and the services' main classes turn it off.
 */
@ExtendWith(RunningSuite.class)
@Order(12)
class RequestTargetTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A target in a service's paths, the part of it at fault, and why. */
    private record Target(String service, String uri, String part, String reason) {
    }

    private static final List<Target> TARGETS = List.of(
            new Target("incident-service", "/api/incidents?q=disk%20100%", "query", "Malformed escape pair at character 28"),
            new Target("incident-service", "/api/incidents/%zz", "path", "Malformed escape pair at character 16"),
            new Target("change-service", "/api/changes/CHG<1>", "path", "Illegal character in path at character 17"),
            new Target("cmdb-service", "/api/cmdb/cis?q=a{b}", "query", "Illegal character in query at character 18"));

    @Test
    void eachServiceAndTheGatewayAnswerA400ProblemNamingThePartAtFault() throws Exception {
        String bearer = "Authorization: Bearer " + LocalIssuer.token("e2e",
                List.of("itsm-reader"), Duration.ofMinutes(10));
        Map<String, Integer> ports = RunningSuite.stack().services().stream()
                .collect(Collectors.toMap(ServiceProcess::name, ServiceProcess::port));
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
}
