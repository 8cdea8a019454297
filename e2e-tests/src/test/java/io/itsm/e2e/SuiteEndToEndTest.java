package io.itsm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import io.itsm.events.CloudEvent;
import io.itsm.events.Topics;
import io.itsm.localstack.LocalStack;
import io.itsm.testsupport.TestKafka;

/**
 * The whole suite as a user runs it ({@link RunningSuite}). Everything goes through the gateway.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(RunningSuite.class)
@Order(1)
class SuiteEndToEndTest {

    private static LocalStack stack;
    private static SuiteClient gateway;

    @BeforeAll
    static void theSuite() {
        stack = RunningSuite.stack();
        gateway = RunningSuite.gateway();
    }

    @Test
    @Order(1)
    void theGatewayReportsEveryServiceAndItsDependenciesReady() {
        SuiteClient.Reply health = gateway.get("/q/health");
        assertThat(health.status()).as(health.text()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("UP");
        assertThat(health.text()).contains("incident-service", "change-service", "cmdb-service");
        assertThat(health.text()).contains("Database connections health check", "MongoDB connection health check", "Kafka");
    }

    @Test
    @Order(2)
    void aCiCreatedThroughTheGatewayReachesIncidentServiceOnceEvenWhenRedelivered() {
        SuiteClient.Reply ci = gateway.post("/api/cmdb/cis", """
                {"ciClass":"linux_server","name":"mail-01","environment":"PRODUCTION","criticality":1}""");
        assertThat(ci.status()).as(ci.text()).isEqualTo(201);
        String ciId = ci.json().path("id").asText();

        // incident-service accepts the CI only once its consumer stored the CMDB event in its read model
        // the first class to run meets a cold stack (JIT, consumer groups just joined): allow it 90 s
        SuiteClient.Reply incident = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(
                () -> gateway.post("/api/incidents", """
                        {"shortDescription":"Mail is down","impact":1,"urgency":1,"configurationItemIds":["%s"]}""".formatted(ciId)),
                reply -> reply.status() != 422);
        assertThat(incident.status()).as(incident.text()).isEqualTo(201);
        assertThat(incident.json().path("priority").asInt()).isEqualTo(1);

        // redeliver every event of that CI: the consumer recognises each one and changes nothing
        List<ConsumerRecord<String, byte[]>> ciEvents = TestKafka.records(stack.kafka().bootstrapServers(),
                Topics.CMDB_EVENTS, r -> ciId.equals(r.key()), 1, Duration.ofSeconds(10));
        assertThat(ciEvents).isNotEmpty();
        double appliedBefore = inboxCount("applied");
        double duplicatesBefore = inboxCount("duplicate");
        TestKafka.send(stack.kafka().bootstrapServers(), ciEvents.stream()
                .map(r -> new ProducerRecord<>(r.topic(), null, r.key(), r.value(), r.headers())).toList());
        await().atMost(Duration.ofSeconds(30)).until(() -> inboxCount("duplicate") >= duplicatesBefore + ciEvents.size());
        assertThat(inboxCount("applied")).isEqualTo(appliedBefore);

        // and the incident's own created event is on its topic
        String incidentId = incident.json().path("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> subjects(Topics.INCIDENT_EVENTS).contains(incidentId));
    }

    @Test
    @Order(2)
    void aRequestsTraceAndIdRideOnTheEventsItCauses() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        SuiteClient.Reply traced = gateway.post("/api/cmdb/cis", "{\"ciClass\":\"application\",\"name\":\"traced-app\"}",
                Map.of("traceparent", traceparent, "X-Request-Id", "e2e-request-1"));
        assertThat(traced.status()).as(traced.text()).isEqualTo(201);
        SuiteClient.Reply untraced = gateway.post("/api/changes", "{\"type\":\"NORMAL\",\"shortDescription\":\"Patch the mail relay\"}");
        assertThat(untraced.status()).as(untraced.text()).isEqualTo(201);

        Map<String, String> ofTraced = ceHeaders(Topics.CMDB_EVENTS, traced.json().path("id").asText());
        assertThat(ofTraced).containsEntry("ce_traceparent", traceparent).containsEntry("ce_requestid", "e2e-request-1");
        // the gateway started a trace and gave a request id to the request that came without them
        Map<String, String> ofUntraced = ceHeaders(Topics.CHANGE_EVENTS, untraced.json().path("id").asText());
        assertThat(ofUntraced.get("ce_traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        assertThat(ofUntraced.get("ce_requestid")).isEqualTo(untraced.header("X-Request-Id"));
    }

    private static Map<String, String> ceHeaders(String topic, String aggregateId) {
        List<ConsumerRecord<String, byte[]>> records = TestKafka.records(stack.kafka().bootstrapServers(), topic,
                r -> aggregateId.equals(r.key()), 1, Duration.ofSeconds(30));
        Map<String, String> headers = new HashMap<>();
        records.get(0).headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
        return headers;
    }

    @Test
    @Order(3)
    void anIncidentOnACiWhoseUpstreamCiHadAChangeImplementedShowsThatChange() {
        String db = created(gateway.post("/api/cmdb/cis", """
                {"ciClass":"database","name":"db-07","environment":"PRODUCTION","criticality":2}"""));
        String app = created(gateway.post("/api/cmdb/cis", """
                {"ciClass":"application","name":"billing","environment":"PRODUCTION","criticality":2}"""));
        created(gateway.post("/api/cmdb/relationships", """
                {"sourceId":"%s","type":"DEPENDS_ON","targetId":"%s"}""".formatted(app, db)));
        String template = created(gateway.post("/api/changes/templates", """
                {"name":"Resize db volume","shortDescription":"Resize the data volume","implementationPlan":"lvextend, resize2fs",
                 "backoutPlan":"none needed","testPlan":"df shows the new size","configurationItemIds":["%s"]}""".formatted(db)));
        String change = created(gateway.post("/api/changes", """
                {"type":"STANDARD","templateId":"%s","plannedStart":"2026-11-30T22:00:00Z","plannedEnd":"2026-11-30T23:00:00Z"}""".formatted(template)));
        assertThat(gateway.post("/api/changes/" + change + "/transitions", "{\"to\":\"SCHEDULED\"}", "\"0\"").status()).isEqualTo(200);
        assertThat(gateway.post("/api/changes/" + change + "/transitions", "{\"to\":\"IMPLEMENT\"}", "\"1\"").status()).isEqualTo(200);
        // change-service knows the relationship once its consumer group has read the CMDB topic up to now
        SuiteKafka.awaitConsumed(stack, "change-service", Topics.CMDB_EVENTS);

        // the first class to run meets a cold stack (JIT, consumer groups just joined): allow it 90 s
        SuiteClient.Reply incident = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(
                () -> gateway.post("/api/incidents", """
                        {"shortDescription":"Billing fails","impact":2,"urgency":1,"configurationItemIds":["%s"]}""".formatted(app)),
                reply -> reply.status() != 422);
        String incidentId = created(incident);

        // change-service correlates the incident's created event; incident-service takes its incident-correlated event
        SuiteClient.Reply shown = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(
                () -> gateway.get("/api/incidents/" + incidentId), reply -> reply.json().path("probableCauseChanges").size() > 0);
        assertThat(shown.json().path("probableCauseChanges").get(0).path("changeId").asText()).isEqualTo(change);
        assertThat(shown.json().path("probableCauseChanges").get(0).path("distance").asInt()).isEqualTo(1);
        assertThat(gateway.get("/api/changes/" + change + "/related-incidents").json().get(0).path("incidentId").asText()).isEqualTo(incidentId);

        // The gateway's overview of the CI joins the three services' answers, by the CI's id or by its number
        // (cmdb-service resolves the number; the gateway's own tests have a fake upstream that did)
        assertOverview(app, app, incidentId);
        assertOverview(gateway.get("/api/cmdb/cis/" + app).json().path("number").asText(), app, incidentId);
    }

    private static void assertOverview(String ci, String ciId, String openIncidentId) {
        SuiteClient.Reply overview = gateway.get("/api/cmdb/cis/" + ci + "/overview");
        assertThat(overview.status()).as(overview.text()).isEqualTo(200);
        assertThat(overview.json().path("ci").path("id").asText()).isEqualTo(ciId);
        List<String> open = new ArrayList<>();
        overview.json().path("openIncidents").forEach(i -> open.add(i.path("id").asText()));
        assertThat(open).containsExactly(openIncidentId);
        assertThat(overview.json().path("changes").isArray()).isTrue();
        assertThat(overview.json().path("warnings").size()).as(overview.text()).isZero();
    }

    @Test
    @Order(5)
    void withIncidentServiceStoppedTheGatewayAnswers503ForItAPartialOverviewAndStaysReady() {
        Map<String, Integer> deadLettersBefore = SuiteKafka.deadLetterSizes(stack);
        String ci = created(gateway.post("/api/cmdb/cis", "{\"ciClass\":\"application\",\"name\":\"overview-app\"}"));
        // stopped at once: it may be applying the CI's event as it stops
        stack.incidentService().stop();
        try {
            SuiteClient.Reply list = gateway.get("/api/incidents");
            assertThat(list.status()).as(list.text()).isEqualTo(503);
            assertThat(list.header("Content-Type")).startsWith("application/problem+json");
            assertThat(list.json().path("detail").asText()).startsWith("incident-service is unavailable");

            SuiteClient.Reply overview = gateway.get("/api/cmdb/cis/" + ci + "/overview");
            assertThat(overview.status()).as(overview.text()).isEqualTo(200);
            assertThat(overview.json().path("ci").path("id").asText()).isEqualTo(ci);
            assertThat(overview.json().path("openIncidents").isNull()).isTrue();
            assertThat(overview.json().path("changes").isArray()).isTrue();
            assertThat(overview.json().path("warnings").get(0).path("service").asText()).isEqualTo("incident-service");

            SuiteClient.Reply health = gateway.get("/q/health");
            assertThat(health.status()).isEqualTo(503);
            List<String> down = new ArrayList<>();
            health.json().path("checks").forEach(c -> {
                if (c.path("status").asText().equals("DOWN")) {
                    down.add(c.path("name").asText());
                }
            });
            assertThat(down).containsExactly("incident-service");
            // the gateway stays ready: the rest of the API stays reachable
            assertThat(gateway.get("/q/health/ready").status()).isEqualTo(200);
        } finally {
            stack.incidentService().start();
        }
        // back: once the service is ready and the gateway's breaker (if it opened) lets calls through again
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> gateway.get("/api/incidents").status() == 200);
        assertThat(gateway.get("/api/cmdb/cis/" + ci + "/overview").json().path("warnings").size()).isZero();
        // the CI's event reached incident-service's read model (an incident may name the CI), whether it was applied
        // before the stop or delivered again after it; a stop never sends an event to the dead-letter topic
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> gateway.post(
                "/api/incidents", "{\"shortDescription\":\"on overview-app\",\"impact\":3,\"urgency\":3,"
                        + "\"configurationItemIds\":[\"" + ci + "\"]}").status() == 201);
        assertThat(SuiteKafka.deadLetterSizes(stack)).as("dead letters").isEqualTo(deadLettersBefore);
    }

    private static String created(SuiteClient.Reply reply) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    private static Set<String> subjects(String topic) {
        return SuiteKafka.eventsUpToNow(stack, topic).stream().map(CloudEvent::subject).collect(Collectors.toSet());
    }

    /** incident-service's {@code itsm_inbox_events_total{outcome=...}} from its Prometheus endpoint. */
    private static double inboxCount(String outcome) {
        String metrics = new SuiteClient(stack.incidentService().url()).get("/q/metrics").text();
        Matcher m = Pattern.compile("^itsm_inbox_events_total\\{[^}]*outcome=\"" + outcome + "\"[^}]*} ([0-9.E+-]+)$",
                Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
