package io.itsm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.itsm.localstack.ServiceProcess;

/**
 * The alerts that ops teams get with the Kubernetes manifests ({@code deploy/kubernetes/components/monitoring/
 * prometheus-rules.yaml}) are on metrics the running services really expose: a renamed metric fails here instead of
 * leaving an alert that can never fire.
 */
@ExtendWith(RunningSuite.class)
@Order(11)
class AlertRulesTest {

    private static final Path RULES = Path.of("..", "deploy", "kubernetes", "components", "monitoring",
            "prometheus-rules.yaml");

    /** A metric in a PromQL expression: the suite's own, and the HTTP server's. */
    private static final Pattern METRIC = Pattern.compile("\\b(itsm_[a-z_]+|http_server_requests_seconds_[a-z]+)\\b");

    @Test
    void everyMetricAnAlertUsesIsExposedByAService() throws IOException {
        Set<String> used = new TreeSet<>();
        for (String line : Files.readAllLines(RULES)) {
            if (line.trim().startsWith("expr:") || line.startsWith("            ")) {
                Matcher m = METRIC.matcher(line);
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertThat(used).as("metrics in the alerts' expressions").contains("itsm_inbox_events_total",
                "itsm_inbox_waiting_for_datastore", "itsm_outbox_publish_failures_total",
                "http_server_requests_seconds_count");

        // a request to each service, so that its per-request metrics exist even when this test runs alone
        SuiteClient gateway = RunningSuite.gateway();
        for (String path : List.of("/api/incidents", "/api/changes", "/api/cmdb/cis")) {
            assertThat(gateway.get(path).status()).as(path).isEqualTo(200);
        }
        Set<String> exposed = new TreeSet<>();
        List<String> scraped = new ArrayList<>();
        for (ServiceProcess service : RunningSuite.stack().services()) {
            String metrics = new SuiteClient(service.url()).get("/q/metrics").text();
            Matcher m = Pattern.compile("^([a-z_]+)(\\{| )", Pattern.MULTILINE).matcher(metrics);
            while (m.find()) {
                exposed.add(m.group(1));
            }
            scraped.add(service.name());
        }
        assertThat(scraped).hasSize(4);
        assertThat(exposed).as("metrics the services expose").containsAll(used);
    }
}
