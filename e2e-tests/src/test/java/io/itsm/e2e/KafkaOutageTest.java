package io.itsm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.itsm.events.CloudEvent;
import io.itsm.events.Topics;
import io.itsm.localstack.LocalStack;
import io.itsm.localstack.ServiceProcess;

/**
 * The Kafka broker stopped for at least 30 s while clients create 5,000 incidents, changes and CIs through the gateway
 * and update each once: every write is acknowledged while the broker is down, and every service stays ready (the
 * broker shows in its wellness check only); once it is back, each topic holds exactly
 * the two events of each of those aggregates (created, then updated, in that order), and the other services' read
 * models catch up (a CI created during the outage can be named by a new incident).
 */
@ExtendWith(RunningSuite.class)
@Order(8)
class KafkaOutageTest {

    private static final int AGGREGATES = 5_000;
    private static final Duration AT_LEAST_DOWN = Duration.ofSeconds(30);
    private static final Duration AT_MOST_DOWN = Duration.ofSeconds(150);

    private record Kind(String path, String topic, String created, String updated, Function<Integer, String> body,
            String patch) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("/api/incidents", Topics.INCIDENT_EVENTS, "itsm.incident.created", "itsm.incident.updated",
                    n -> "{\"shortDescription\":\"outage write " + n + "\",\"impact\":3,\"urgency\":3}", "{\"urgency\":2}"),
            new Kind("/api/changes", Topics.CHANGE_EVENTS, "itsm.change.created", "itsm.change.updated",
                    n -> "{\"type\":\"NORMAL\",\"shortDescription\":\"outage write " + n + "\"}", "{\"description\":\"updated\"}"),
            new Kind("/api/cmdb/cis", Topics.CMDB_EVENTS, "itsm.ci.created", "itsm.ci.updated",
                    n -> "{\"ciClass\":\"application\",\"name\":\"outage-app-" + n + "\"}", "{\"owner\":\"ops\"}"));

    @Test
    void stoppingTheBrokerWhileWritingLosesNoEventAndKeepsEachAggregatesOrder() throws Exception {
        LocalStack stack = RunningSuite.stack();
        Map<String, Queue<String>> written = KINDS.stream().collect(Collectors.toMap(Kind::topic, k -> new ConcurrentLinkedQueue<>()));
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger total = new AtomicInteger();
        AtomicInteger n = new AtomicInteger();

        stack.kafka().stop();
        long started = System.nanoTime();
        ExecutorService writers = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                Kind kind = KINDS.get(w % KINDS.size());
                // a client (token) per writer: each has its own rate-limit bucket at the gateway, and waits out a 429
                // (one sequential writer can pass 100 requests/s on a fast hour; what is tested is the broker's outage)
                SuiteClient client = SuiteClient.waitingOutRateLimits(stack.gateway().url(), "outage-writer-" + w);
                running.add(writers.submit(() -> {
                    while (failures.isEmpty() && (total.get() < AGGREGATES || elapsed(started).compareTo(AT_LEAST_DOWN) < 0)
                            && elapsed(started).compareTo(AT_MOST_DOWN) < 0) {
                        SuiteClient.Reply created = client.post(kind.path(), kind.body().apply(n.incrementAndGet()));
                        if (created.status() != 201) {
                            failures.add(kind.path() + " create: " + created.status() + " " + created.text());
                            return;
                        }
                        String id = created.json().path("id").asText();
                        SuiteClient.Reply updated = client.patch(kind.path() + "/" + id, kind.patch(), created.header("ETag"));
                        if (updated.status() != 200) {
                            failures.add(kind.path() + " update: " + updated.status() + " " + updated.text());
                            return;
                        }
                        written.get(kind.topic()).add(id);
                        total.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            // still down: every service stays ready (its writes wait in the outbox) and reports the broker as a
            // wellness check, which Kubernetes' probes do not read
            for (ServiceProcess service : List.of(stack.incidentService(), stack.changeService(), stack.cmdbService())) {
                SuiteClient direct = new SuiteClient(service.url());
                assertThat(direct.get("/q/health/ready").status()).as(service.name() + " ready while Kafka is down")
                        .isEqualTo(200);
                SuiteClient.Reply well = direct.get("/q/health/well");
                assertThat(well.status()).as(service.name() + " wellness while Kafka is down").isEqualTo(503);
                assertThat(well.json().path("checks").findValuesAsText("name")).contains("Kafka connection health check");
            }
        } finally {
            writers.shutdownNow();
            Duration down = elapsed(started);
            stack.kafka().start();
            System.out.printf("kafka outage: broker down %d s, %d aggregates created and updated while it was down%n",
                    down.toSeconds(), total.get());
        }
        assertThat(failures).as("writes refused while Kafka was down").isEmpty();
        assertThat(total.get()).isGreaterThanOrEqualTo(AGGREGATES);

        for (Kind kind : KINDS) {
            Queue<String> ids = written.get(kind.topic());
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                Map<String, List<String>> typesBySubject = SuiteKafka.eventsUpToNow(stack, kind.topic()).stream()
                        .filter(e -> e.type().equals(kind.created()) || e.type().equals(kind.updated()))
                        .collect(Collectors.groupingBy(CloudEvent::subject, Collectors.mapping(CloudEvent::type, Collectors.toList())));
                List<String> wrong = ids.stream().filter(id -> !List.of(kind.created(), kind.updated()).equals(typesBySubject.get(id)))
                        .map(id -> id + ": " + typesBySubject.get(id)).limit(5).toList();
                assertThat(wrong).as("%s: aggregates whose events are not exactly [created, updated]", kind.topic()).isEmpty();
            });
        }
        // the services' consumers catch up: incident-service knows a CI created during the outage
        String lastCi = List.copyOf(written.get(Topics.CMDB_EVENTS)).get(written.get(Topics.CMDB_EVENTS).size() - 1);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> RunningSuite.gateway().post(
                "/api/incidents", "{\"shortDescription\":\"after the outage\",\"impact\":2,\"urgency\":2,\"configurationItemIds\":[\""
                        + lastCi + "\"]}").status() == 201);
    }

    /**
     * The broker killed (SIGKILL, as a crash) while clients create incidents, changes and CIs through the gateway, and
     * started again a few seconds later: every create acknowledged before, during and after the crash has its created
     * event on its topic, and no event is there twice. A batch the broker wrote but had not acknowledged when it died
     * is found on the topic by the relay's in-flight check, not sent again. Whether a run meets such a batch is down
     * to timing: with that check switched off this test still passed (2026-12-07: the three checks of that run each
     * found one or two events the broker had not written), so the check itself is proven where the timing is forced,
     * in the relays' own tests ({@code eventsKafkaWroteButDidNotAcknowledgeInTimeAreNotPublishedAgain}, which fail
     * without it); this test proves the end result across a real crash.
     */
    @Test
    void killingTheBrokerWhileWritingLosesNoEventAndDuplicatesNone() throws Exception {
        LocalStack stack = RunningSuite.stack();
        Map<String, Queue<String>> written = KINDS.stream().collect(Collectors.toMap(Kind::topic, k -> new ConcurrentLinkedQueue<>()));
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger total = new AtomicInteger();
        AtomicInteger n = new AtomicInteger();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(KINDS.size() * 2);
        int atKill;
        int atRestart;
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < KINDS.size() * 2; w++) {
                Kind kind = KINDS.get(w % KINDS.size());
                SuiteClient client = SuiteClient.waitingOutRateLimits(stack.gateway().url(), "broker-crash-writer-" + w);
                running.add(writers.submit(() -> {
                    while (writing.get() && failures.isEmpty()) {
                        SuiteClient.Reply created = client.post(kind.path(), kind.body().apply(n.incrementAndGet()));
                        if (created.status() != 201) {
                            failures.add(kind.path() + " create: " + created.status() + " " + created.text());
                            return;
                        }
                        written.get(kind.topic()).add(created.json().path("id").asText());
                        total.incrementAndGet();
                    }
                }));
            }
            // the relays are publishing when the broker dies
            await().atMost(Duration.ofSeconds(60)).until(() -> total.get() >= 300 || !failures.isEmpty());
            stack.kafka().kill();
            atKill = total.get();
            await().atMost(Duration.ofSeconds(60)).until(() -> total.get() >= atKill + 100 || !failures.isEmpty());
            stack.kafka().start();
            atRestart = total.get();
            await().atMost(Duration.ofSeconds(60)).until(() -> total.get() >= atRestart + 300 || !failures.isEmpty());
            writing.set(false);
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            writing.set(false);
            writers.shutdownNow();
            if (!stack.kafka().isRunning()) {
                stack.kafka().start();
            }
        }
        assertThat(failures).as("creates refused around the broker's crash").isEmpty();
        System.out.printf("kafka crash: %d aggregates created before the kill, %d while the broker was down, %d after%n",
                atKill, atRestart - atKill, total.get() - atRestart);

        for (Kind kind : KINDS) {
            Set<String> ids = Set.copyOf(written.get(kind.topic()));
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                List<CloudEvent> events = SuiteKafka.eventsUpToNow(stack, kind.topic()).stream()
                        .filter(e -> ids.contains(e.subject())).toList();
                Map<String, Long> createdBySubject = events.stream().filter(e -> e.type().equals(kind.created()))
                        .collect(Collectors.groupingBy(CloudEvent::subject, Collectors.counting()));
                List<String> notOnce = ids.stream().filter(id -> createdBySubject.getOrDefault(id, 0L) != 1)
                        .map(id -> id + " created " + createdBySubject.getOrDefault(id, 0L) + " times").limit(5).toList();
                assertThat(notOnce).as("%s: acknowledged creates without exactly one created event", kind.topic()).isEmpty();
                Map<UUID, Long> byEventId = events.stream().collect(Collectors.groupingBy(CloudEvent::id, Collectors.counting()));
                assertThat(byEventId.values()).as("%s: events on the topic more than once", kind.topic()).allMatch(c -> c == 1);
            });
        }
    }

    private static Duration elapsed(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
