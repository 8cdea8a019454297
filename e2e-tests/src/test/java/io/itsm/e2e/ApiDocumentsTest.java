package io.itsm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The merged OpenAPI document and the AsyncAPI document as the gateway serves them to frontend teams: complete,
 * following the suite's conventions, and accepted by the tools those teams run (check-api-documents.sh).
 */
@ExtendWith(RunningSuite.class)
@Order(2)
class ApiDocumentsTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    private static SuiteClient gateway;
    private static JsonNode merged;

    @BeforeAll
    static void fetch() {
        gateway = RunningSuite.gateway();
        SuiteClient.Reply reply = gateway.get("/openapi");
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        merged = reply.json();
    }

    /** Every operation of the merged document, as "METHOD path" with its node. */
    private static List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        merged.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (METHODS.contains(op.getKey())) {
                operations.add(new Operation(op.getKey().toUpperCase() + " " + path.getKey(), op.getValue()));
            }
        }));
        return operations;
    }

    private record Operation(String name, JsonNode node) {
    }

    @Test
    void holdsEveryOperationOfEveryServiceGroupedByService() {
        assertThat(merged.path("openapi").asText()).startsWith("3.1");
        for (String service : List.of("incident", "change", "cmdb")) {
            JsonNode own = gateway.get("/openapi/" + service).json();
            assertThat(own.path("paths").size()).as(service).isPositive();
            own.path("paths").fieldNames().forEachRemaining(path ->
                    assertThat(merged.path("paths").has(path)).as("%s of %s", path, service).isTrue());
        }
        List<String> groups = new ArrayList<>();
        merged.path("x-tagGroups").forEach(g -> groups.add(g.path("name").asText()));
        assertThat(groups).containsExactly("incident-service", "change-service", "cmdb-service", "gateway");
        merged.path("tags").forEach(tag -> assertThat(tag.path("description").asText()).as(tag.toString()).isNotBlank());
        assertThat(merged.path("servers").get(0).path("url").asText()).startsWith("http://");
    }

    @Test
    void everyOperationIsSecuredIdentifiedAndAnswersErrorsAsProblems() {
        JsonNode bearer = merged.path("components").path("securitySchemes").path("bearer");
        assertThat(bearer.path("type").asText()).isEqualTo("http");
        assertThat(bearer.path("scheme").asText()).isEqualTo("bearer");
        Set<String> operationIds = new HashSet<>();
        List<Operation> operations = operations();
        assertThat(operations).hasSizeGreaterThan(40);
        for (Operation operation : operations) {
            JsonNode op = operation.node();
            assertThat(operationIds.add(op.path("operationId").asText())).as("unique operationId of %s", operation.name()).isTrue();
            assertThat(op.path("security").get(0).path("bearer").isArray()).as("security of %s", operation.name()).isTrue();
            assertThat(op.path("summary").asText()).as("summary of %s", operation.name()).isNotBlank();
            JsonNode responses = op.path("responses");
            assertThat(responses.has("401") && responses.has("429") && responses.has("503"))
                    .as("401, 429 and 503 of %s", operation.name()).isTrue();
            responses.fields().forEachRemaining(response -> {
                if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                    assertThat(response.getValue().path("content").path("application/problem+json").path("schema")
                            .path("$ref").asText()).as("%s %s", operation.name(), response.getKey())
                            .isEqualTo("#/components/schemas/Problem");
                }
            });
        }
    }

    @Test
    void everyRequestBodyHasAnExample() {
        for (Operation operation : operations()) {
            JsonNode body = operation.node().path("requestBody");
            if (body.isMissingNode()) {
                continue;
            }
            body.path("content").fields().forEachRemaining(media -> assertThat(
                    media.getValue().has("example") || media.getValue().path("examples").size() > 0
                            || media.getValue().path("schema").has("examples"))
                    .as("an example of the %s body of %s", media.getKey(), operation.name()).isTrue());
        }
    }

    @Test
    void aSchemaOnlyRequestBodiesUseIsClosedAndTheResponsesStayOpen() {
        JsonNode schemas = merged.path("components").path("schemas");
        // the services refuse a body field they do not have; the document says so where only a request uses the schema
        for (String input : List.of("IncidentInput", "IncidentTransition", "NewIncidentNote", "ChangeInput", "ChangeTransition",
                "ApprovalDecisionInput", "BlackoutWindowInput", "ChangeTemplateInput", "ConfigurationItemInput", "RelationshipInput",
                "CiClassInput", "ReconcileRequest", "ImpactRequest")) {
            assertThat(schemas.path(input).path("additionalProperties").isBoolean()).as(input + " is closed").isTrue();
            assertThat(schemas.path(input).path("additionalProperties").asBoolean()).as(input + " is closed").isFalse();
        }
        // what a response carries may grow: a client generated from the document must accept a field a later version adds
        for (String output : List.of("Incident", "IncidentNote", "IncidentTransitions", "HistoryEntry", "Problem")) {
            assertThat(schemas.path(output).isObject()).as(output).isTrue();
            assertThat(schemas.path(output).has("additionalProperties")).as(output + " stays open").isFalse();
        }
    }

    @Test
    void isServedAsYamlTooWithTheAsyncApiDocumentNextToIt() {
        SuiteClient.Reply yaml = gateway.get("/openapi.yaml");
        assertThat(yaml.status()).isEqualTo(200);
        assertThat(yaml.header("Content-Type")).startsWith("application/yaml");
        assertThat(yaml.text()).contains("openapi: 3.1.0", "/api/incidents:", "/api/cmdb/cis:");
        SuiteClient.Reply asyncApi = gateway.get("/asyncapi");
        assertThat(asyncApi.status()).isEqualTo(200);
        assertThat(asyncApi.text()).startsWith("# AsyncAPI 3.0.0").contains("asyncapi: 3.0.0", "itsm.incident.events");
        assertThat(gateway.get("/asyncapi.json").json().path("asyncapi").asText()).isEqualTo("3.0.0");
    }

    /** Spectral (OAS) and Redocly lint with 0 errors, openapi-typescript output through tsc --strict, AsyncAPI validate. */
    @Test
    void passesTheToolsFrontendTeamsRun() throws IOException, InterruptedException {
        Path work = Path.of("target", "api-documents").toAbsolutePath();
        Files.createDirectories(work);
        Path openApi = work.resolve("openapi.json");
        Path asyncApi = work.resolve("asyncapi.yaml");
        Files.writeString(openApi, gateway.get("/openapi").text(), StandardCharsets.UTF_8);
        Files.writeString(asyncApi, gateway.get("/asyncapi").text(), StandardCharsets.UTF_8);

        Path log = work.resolve("check.log");
        Process check = new ProcessBuilder("bash", Path.of("api-tools", "check-api-documents.sh").toString(),
                openApi.toString(), asyncApi.toString(), work.resolve("tools").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = check.waitFor(15, TimeUnit.MINUTES);
        if (!done) {
            check.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(done).as("the checks ended within 15 minutes:%n%s", output).isTrue();
        assertThat(check.exitValue()).as("check-api-documents.sh (log in %s):%n%s", log, output).isZero();
        assertThat(output).contains("== all checks passed");
    }
}
