package io.itsm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.itsm.events.Topics;
import io.itsm.localstack.LocalStack;
import io.itsm.localstack.ServiceProcess;
import io.itsm.testsupport.TestKafka;

/**
 * Every event topic replayed from offset 0 into the running consumers (each record published again, id and all, as a
 * consumer that lost its offsets would read it): no read model changes, because every consumer recognises the event
 * ids it has already applied.
 */
@ExtendWith(RunningSuite.class)
@Order(7)
class ReplayTest {

    /** The consumer groups of the services and the topics each reads through its inbox. */
    static final Map<String, List<String>> GROUPS = Map.of(
            "incident-service", List.of(Topics.CMDB_EVENTS, Topics.CHANGE_EVENTS),
            "change-service", List.of(Topics.CMDB_EVENTS, Topics.INCIDENT_EVENTS),
            "cmdb-service", List.of(Topics.CHANGE_EVENTS));

    @Test
    void replayingEveryTopicFromTheStartChangesNoReadModel() {
        LocalStack stack = RunningSuite.stack();
        SuiteClient gateway = RunningSuite.gateway();
        // some traffic across the three services, so each consumer has applied events of each kind it reads
        String ci = gateway.post("/api/cmdb/cis", "{\"ciClass\":\"application\",\"name\":\"replay-app\"}").json().path("id").asText();
        // incident-service accepts the CI once its read model has it
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> gateway.post("/api/incidents",
                "{\"shortDescription\":\"replay\",\"impact\":2,\"urgency\":2,\"configurationItemIds\":[\"" + ci + "\"]}")
                .status() == 201);
        assertThat(gateway.post("/api/changes", "{\"type\":\"NORMAL\",\"shortDescription\":\"replay\","
                + "\"configurationItemIds\":[\"" + ci + "\"]}").status()).isEqualTo(201);
        awaitEveryGroup(stack);

        Set<UUID> idsBefore = eventIds(stack);
        // every event read above is counted below: each group has consumed at least as far
        GROUPS.forEach((group, topics) -> topics.forEach(topic -> SuiteKafka.awaitConsumed(stack, group, topic)));
        Map<String, Double> appliedBefore = counts(stack, "applied");
        Map<String, Double> duplicatesBefore = counts(stack, "duplicate");
        Map<String, Double> failedBefore = counts(stack, "failed");
        Map<String, Map<String, String>> modelsBefore = readModels(gateway);
        Map<String, Integer> dlqBefore = SuiteKafka.deadLetterSizes(stack);

        int replayed = 0;
        for (String topic : Topics.EVENT_TOPICS) {
            List<ProducerRecord<String, byte[]>> again = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : TestKafka.recordsUpToNow(stack.kafka().bootstrapServers(), topic)) {
                // the services' events; a poison record (PoisonEventTest's) would only be dead-lettered once more
                if (r.headers().lastHeader("ce_id") != null) {
                    again.add(new ProducerRecord<>(topic, null, r.key(), r.value(), r.headers()));
                }
            }
            TestKafka.send(stack.kafka().bootstrapServers(), again);
            replayed += again.size();
        }
        assertThat(replayed).isGreaterThanOrEqualTo(3); // at least the CI, incident and change created above
        awaitEveryGroup(stack);

        // An event that was published for the first time while this test ran (by a service's scheduler, say) is new to
        // the consumers and applied, replay or not: each service may apply those of the topics it reads, nothing else.
        Map<String, List<String>> fresh = eventsPublishedSince(stack, idsBefore);
        Map<String, Double> appliedAfter = counts(stack, "applied");
        Map<String, Double> failedAfter = counts(stack, "failed");
        appliedAfter.forEach((service, after) -> {
            List<String> freshForService = GROUPS.get(service).stream().flatMap(topic -> fresh.get(topic).stream()).toList();
            // an extra one with no new event is a replayed event applied again, or one that had failed (dead-lettered)
            // before and now succeeded: the failures and dead letters before and after tell which
            assertThat(after - appliedBefore.get(service))
                    .as("events applied by %s during the replay (events first published meanwhile: %s; failed %s -> %s;"
                            + " dead letters before %s)", service, freshForService, failedBefore, failedAfter, dlqBefore)
                    .isBetween(0.0, (double) freshForService.size());
        });
        Map<String, Double> duplicatesAfter = counts(stack, "duplicate");
        duplicatesAfter.forEach((service, after) -> assertThat(after).as("duplicates recognised by %s", service)
                .isGreaterThan(duplicatesBefore.get(service)));
        assertThat(readModels(gateway)).as("every resource's version and last update").isEqualTo(modelsBefore);
        assertThat(SuiteKafka.deadLetterSizes(stack)).as("dead letters").isEqualTo(dlqBefore);
        System.out.printf("replay: %d events published again; duplicates recognised %s -> %s; applied %s -> %s;"
                + " events first published meanwhile %s%n", replayed, duplicatesBefore, duplicatesAfter, appliedBefore,
                appliedAfter, fresh);
    }

    /** The ids of the events every event topic holds now. */
    private static Set<UUID> eventIds(LocalStack stack) {
        Set<UUID> ids = new HashSet<>();
        for (String topic : Topics.EVENT_TOPICS) {
            SuiteKafka.eventsUpToNow(stack, topic).forEach(event -> ids.add(event.id()));
        }
        return ids;
    }

    /** Per event topic, "type subject (time)" of each event whose id is not among {@code known}. */
    private static Map<String, List<String>> eventsPublishedSince(LocalStack stack, Set<UUID> known) {
        Map<String, List<String>> fresh = new TreeMap<>();
        for (String topic : Topics.EVENT_TOPICS) {
            Set<UUID> seen = new HashSet<>(known); // an event published twice (at least once) is one event
            fresh.put(topic, SuiteKafka.eventsUpToNow(stack, topic).stream().filter(event -> seen.add(event.id()))
                    .map(event -> event.type() + " " + event.subject() + " (" + event.time() + ")").toList());
        }
        return fresh;
    }

    private static void awaitEveryGroup(LocalStack stack) {
        SuiteKafka.awaitQuiet(stack, GROUPS);
    }

    /** {@code itsm_inbox_events_total{outcome}} of each service. */
    private static Map<String, Double> counts(LocalStack stack, String outcome) {
        Map<String, Double> counts = new TreeMap<>();
        for (ServiceProcess service : List.of(stack.incidentService(), stack.changeService(), stack.cmdbService())) {
            String metrics = new SuiteClient(service.url()).get("/q/metrics").text();
            Matcher m = Pattern.compile("^itsm_inbox_events_total\\{[^}]*outcome=\"" + outcome + "\"[^}]*} ([0-9.E+-]+)$",
                    Pattern.MULTILINE).matcher(metrics);
            assertThat(m.find()).as("%s's inbox metric", service.name()).isTrue();
            counts.put(service.name(), Double.parseDouble(m.group(1)));
        }
        return counts;
    }

    /** id → "version updatedAt" of every incident, change and CI, read a page at a time. */
    private static Map<String, Map<String, String>> readModels(SuiteClient gateway) {
        Map<String, Map<String, String>> models = new LinkedHashMap<>();
        for (String list : List.of("/api/incidents", "/api/changes", "/api/cmdb/cis")) {
            Map<String, String> versions = new TreeMap<>();
            String next = list + "?limit=500";
            while (next != null) {
                SuiteClient.Reply page = gateway.get(next);
                assertThat(page.status()).as(page.text()).isEqualTo(200);
                JsonNode items = page.json().isArray() ? page.json() : page.json().path("items");
                items.forEach(item -> versions.put(item.path("id").asText(),
                        item.path("version").asText() + " " + item.path("updatedAt").asText()
                                + " " + item.path("underChange").toString()));
                String link = page.header("Link");
                next = link == null || !link.contains("rel=\"next\"") ? null
                        : link.substring(link.indexOf('<') + 1, link.indexOf('>')).replaceFirst("^https?://[^/]+", "");
            }
            models.put(list, versions);
        }
        return models;
    }
}
