package io.itsm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.itsm.events.CloudEvent;
import io.itsm.events.Topics;
import io.itsm.localstack.LocalStack;
import io.itsm.localstack.ServiceProcess;

/**
 * Each service is killed with SIGKILL while four clients write to it through the gateway: after it is started again,
 * every write it acknowledged (201) is there, and the created event of each is published exactly once per event id
 * (a crash between Kafka's acknowledgement and the outbox's delete leaves published events in the outbox; the
 * restarted relay finds them on the topic and forgets them instead of publishing them again).
 */
@ExtendWith(RunningSuite.class)
@Order(9)
class CrashRecoveryTest {

    private record Target(Function<LocalStack, ServiceProcess> service, String path, String topic, String createdType,
            Function<Integer, String> body) {
    }

    private static final Map<String, Target> TARGETS = Map.of(
            "incident", new Target(LocalStack::incidentService, "/api/incidents", Topics.INCIDENT_EVENTS,
                    "itsm.incident.created", n -> "{\"shortDescription\":\"crash write " + n + "\",\"impact\":3,\"urgency\":3}"),
            "change", new Target(LocalStack::changeService, "/api/changes", Topics.CHANGE_EVENTS,
                    "itsm.change.created", n -> "{\"type\":\"NORMAL\",\"shortDescription\":\"crash write " + n + "\"}"),
            "cmdb", new Target(LocalStack::cmdbService, "/api/cmdb/cis", Topics.CMDB_EVENTS,
                    "itsm.ci.created", n -> "{\"ciClass\":\"application\",\"name\":\"crash-write-" + n + "\"}"));

    @ParameterizedTest(name = "{0}-service")
    @ValueSource(strings = { "incident", "change", "cmdb" })
    void aServiceKilledWhileTakingWritesKeepsEveryAcknowledgedWriteAndPublishesItsEvents(String which) throws Exception {
        LocalStack stack = RunningSuite.stack();
        Target target = TARGETS.get(which);
        ServiceProcess service = target.service().apply(stack);
        Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger n = new AtomicInteger();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            // a 429 is this client's rate limit at the gateway, not the crash: the client waits it out
            SuiteClient client = SuiteClient.waitingOutRateLimits(stack.gateway().url(), "crash-" + which + "-" + w);
            running.add(writers.submit(() -> {
                while (writing.get()) {
                    SuiteClient.Reply reply = client.post(target.path(), target.body().apply(n.incrementAndGet()));
                    if (reply.status() == 201) {
                        acknowledged.add(reply.json().path("id").asText());
                    } else {
                        refused.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 40);
            service.kill();
            // writes keep coming while it is down: they must be refused, not acknowledged
            int refusedBefore = refused.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> refused.get() >= refusedBefore + 20);
        } finally {
            writing.set(false);
            for (Future<?> f : running) {
                f.get();
            }
            writers.shutdownNow();
            if (!service.isRunning()) {
                service.start();
            }
        }

        SuiteClient direct = new SuiteClient(service.url(), "crash-check");
        List<String> missing = acknowledged.stream().filter(id -> direct.get(target.path() + "/" + id).status() != 200).toList();
        assertThat(missing).as("acknowledged writes missing after the crash").isEmpty();

        Set<String> ids = Set.copyOf(acknowledged);
        List<CloudEvent> created = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            created.clear();
            SuiteKafka.eventsUpToNow(stack, target.topic()).stream()
                    .filter(e -> e.type().equals(target.createdType()) && ids.contains(e.subject()))
                    .forEach(created::add);
            assertThat(created.stream().map(CloudEvent::subject).collect(Collectors.toSet())).containsAll(ids);
        });
        long repeats = created.size() - created.stream().map(CloudEvent::id).distinct().count();
        assertThat(repeats).as("events of acknowledged writes published more than once").isZero();
        // the gateway's circuit breaker may have opened while the service was down: wait until it lets calls through
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> RunningSuite.gateway().get(target.path() + "?limit=1").status() == 200);
        System.out.printf("crash of %s-service: %d writes acknowledged (all present, each published once), %d refused while "
                + "it was down%n", which, acknowledged.size(), refused.get());
    }
}
