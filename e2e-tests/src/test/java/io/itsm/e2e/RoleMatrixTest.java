package io.itsm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.itsm.localstack.LocalIssuer;

/**
 * The whole role matrix, through the gateway against the running suite: every operation of the merged OpenAPI
 * document × every role, no token, an expired token, a wrongly signed one and one for another audience, checked
 * against {@code role-matrix.tsv}. Allowed requests carry the operation's documented example body and the ids of
 * real resources; their If-Match is stale, so nothing is changed by them (they answer 412, or 428 where there is
 * no version yet).
 */
@ExtendWith(RunningSuite.class)
@Order(3)
class RoleMatrixTest {

    static final List<String> ROLES = List.of("itsm-reader", "itsm-agent", "itsm-change-manager", "itsm-cab",
            "itsm-cmdb-admin", "itsm-admin");
    private static final String STALE = "\"999999\"";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static SuiteApi api;
    private static Map<String, Map<String, String>> table;

    @BeforeAll
    static void setUp() throws IOException {
        api = SuiteApi.load(RunningSuite.gateway(), "role matrix");
        table = readTable();
    }

    private static Map<String, Map<String, String>> readTable() throws IOException {
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        try (InputStream in = RoleMatrixTest.class.getResourceAsStream("/role-matrix.tsv")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
            assertThat(lines.get(0).split("\t")).containsExactly(concat("operation", ROLES));
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split("\t");
                assertThat(cells).as(line).hasSize(ROLES.size() + 1);
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < ROLES.size(); i++) {
                    assertThat(cells[i + 1]).as(line).isIn("allow", "deny");
                    row.put(ROLES.get(i), cells[i + 1]);
                }
                rows.put(cells[0], row);
            }
        }
        return rows;
    }

    private static String[] concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all.toArray(String[]::new);
    }

    @Test
    void theTableHoldsExactlyTheDocumentsOperationsAndTheRolesItDeclares() {
        assertThat(new TreeSet<>(table.keySet())).isEqualTo(new TreeSet<>(api.operations().keySet()));
        api.operations().forEach((operation, node) -> {
            List<String> declared = new ArrayList<>();
            node.path("security").get(0).path("bearer").forEach(role -> declared.add(role.asText()));
            List<String> allowed = table.get(operation).entrySet().stream()
                    .filter(e -> e.getValue().equals("allow")).map(Map.Entry::getKey).toList();
            assertThat(declared).as("roles documented for %s", operation).containsExactlyInAnyOrderElementsOf(allowed);
        });
    }

    @Test
    void everyOperationAnswersEveryRoleAndEveryBadTokenAsTheTableSays() {
        Map<String, String> tokens = new LinkedHashMap<>();
        for (String role : ROLES) {
            tokens.put(role, LocalIssuer.token("matrix-" + role, List.of(role), Duration.ofMinutes(30)));
        }
        String valid = tokens.get("itsm-admin");
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("anonymous", null);
        bad.put("expired", LocalIssuer.token("matrix-expired", ROLES, Duration.ofMinutes(-5)));
        String other = LocalIssuer.token("someone-else", ROLES, Duration.ofMinutes(30));
        bad.put("wrong signature", valid.substring(0, valid.lastIndexOf('.')) + other.substring(other.lastIndexOf('.')));
        bad.put("wrong audience", LocalIssuer.token("matrix-audience", ROLES, Duration.ofMinutes(30), "another-api"));

        List<String> mismatches = new ArrayList<>();
        int requests = 0;
        for (Map.Entry<String, JsonNode> operation : api.operations().entrySet()) {
            Map<String, String> expected = table.get(operation.getKey());
            for (Map.Entry<String, String> principal : bad.entrySet()) {
                int status = send(operation.getKey(), operation.getValue(), principal.getValue());
                requests++;
                if (status != 401) {
                    mismatches.add(operation.getKey() + " with " + principal.getKey() + ": " + status + ", expected 401");
                }
            }
            for (String role : ROLES) {
                int status = send(operation.getKey(), operation.getValue(), tokens.get(role));
                requests++;
                boolean allow = expected.get(role).equals("allow");
                boolean read = operation.getKey().startsWith("GET ");
                // an allowed read of a real resource answers 200; an allowed write passes authorization and then
                // meets its stale If-Match or the domain's rules (412, 409, 422, ...), never 401/403/5xx
                boolean ok = allow ? (read ? status == 200 : status != 401 && status != 403 && status < 500) : status == 403;
                if (!ok) {
                    mismatches.add(operation.getKey() + " as " + role + ": " + status + ", expected "
                            + (allow ? read ? "200" : "to pass authorization" : "403"));
                }
            }
        }
        assertThat(requests).isGreaterThanOrEqualTo(52 * 10);
        assertThat(mismatches).as("operations answering otherwise than role-matrix.tsv says").isEmpty();
    }

    private int send(String operation, JsonNode node, String token) {
        String method = operation.substring(0, operation.indexOf(' '));
        String path = api.withIds(operation.substring(operation.indexOf(' ') + 1)) + SuiteApi.requiredQuery(node);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(RunningSuite.stack().gateway().url() + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        JsonNode body = node.path("requestBody").path("content");
        String contentType = body.has("application/json") ? "application/json"
                : body.fieldNames().hasNext() ? body.fieldNames().next() : null;
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.noBody();
        if (contentType != null) {
            request.header("Content-Type", contentType);
            publisher = HttpRequest.BodyPublishers.ofString(SuiteApi.exampleOf(body.path(contentType)));
        }
        node.path("parameters").forEach(parameter -> {
            if (parameter.path("in").asText().equals("header") && parameter.path("name").asText().equals("If-Match")) {
                request.header("If-Match", STALE);
            }
        });
        try {
            return HTTP.send(request.method(method, publisher).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new IllegalStateException(operation + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
