package io.itsm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.itsm.localstack.Component;
import io.itsm.localstack.LocalStack;
import io.itsm.localstack.ServiceProcess;

/**
 * A datastore stopped, or killed as a crash would end it, and started again while clients write through the gateway:
 * while it is down, the services on it report not ready and refuse writes fast with a 503 problem; once it is back they
 * are ready again, take writes, and every write they acknowledged before, during or after is there. Meanwhile other
 * services, on stores that stay up, keep publishing events that the services on the stopped store consume: those wait
 * for the store and are applied once it is back, none goes to a dead-letter topic.
 */
@ExtendWith(RunningSuite.class)
@Order(10)
class DatastoreRestartTest {

    private record Writes(String path, Function<Integer, String> body) {
    }

    /** {@code eventsForItsConsumers}: writes to a service on another store, whose events the store's services consume. */
    private record Store(Function<LocalStack, Component> component, List<Function<LocalStack, ServiceProcess>> services,
            List<Writes> writes, Writes eventsForItsConsumers) {
    }

    private static final Writes INCIDENTS = new Writes("/api/incidents",
            n -> "{\"shortDescription\":\"store restart " + n + "\",\"impact\":3,\"urgency\":3}");
    private static final Writes CHANGES = new Writes("/api/changes",
            n -> "{\"type\":\"NORMAL\",\"shortDescription\":\"store restart " + n + "\"}");
    private static final Writes CIS = new Writes("/api/cmdb/cis",
            n -> "{\"ciClass\":\"application\",\"name\":\"store-restart-" + n + "\"}");

    private static final Map<String, Store> STORES = Map.of(
            "postgresql", new Store(LocalStack::postgres, List.of(LocalStack::incidentService, LocalStack::changeService),
                    List.of(INCIDENTS, CHANGES), CIS),
            "mongodb", new Store(LocalStack::mongo, List.of(LocalStack::cmdbService), List.of(CIS), CHANGES));

    /**
     * How long the store stays down at least: longer than the consumers' retries of an event that fails on its own
     * (five attempts, about 3 s), after which an event would go to the dead-letter topic were the outage not told apart.
     */
    private static final Duration DOWN_AT_LEAST = Duration.ofSeconds(10);

    /** A refusal while the store is down must come at once, not after a client would have given up. */
    private static final long FAST_MILLIS = 10_000;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({ "postgresql, stopped", "mongodb, stopped", "postgresql, killed", "mongodb, killed" })
    void whileTheStoreIsDownWritesAreRefusedFastWith503AndNothingAcknowledgedIsLost(String which, String how)
            throws Exception {
        LocalStack stack = RunningSuite.stack();
        Store store = STORES.get(which);
        Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
        Queue<String> wrong = new ConcurrentLinkedQueue<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicLong slowestRefusal = new AtomicLong();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger n = new AtomicInteger();
        ExecutorService writers = Executors.newFixedThreadPool(store.writes().size() * 2);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < store.writes().size() * 2; w++) {
            Writes writes = store.writes().get(w % store.writes().size());
            // a 429 is this client's rate limit at the gateway, not the store: the client waits it out, and a refusal
            // is timed by the sending that got it (Reply.took), not with that wait
            SuiteClient client = SuiteClient.waitingOutRateLimits(stack.gateway().url(), "store-" + which + "-" + how + "-" + w);
            running.add(writers.submit(() -> {
                while (writing.get()) {
                    SuiteClient.Reply reply = client.post(writes.path(), writes.body().apply(n.incrementAndGet()));
                    long millis = reply.took().toMillis();
                    if (reply.status() == 201) {
                        acknowledged.add(writes.path() + "/" + reply.json().path("id").asText());
                    } else {
                        refused.incrementAndGet();
                        slowestRefusal.accumulateAndGet(millis, Math::max);
                        String type = reply.header("Content-Type");
                        if (reply.status() != 503 || type == null || !type.startsWith("application/problem+json")) {
                            wrong.add(reply.status() + " " + type + " " + BadRequests.abbreviate(reply.text()));
                        }
                        Thread.sleep(50); // pace the retries of a refused write, as a client would
                    }
                }
                return null;
            }));
        }
        Map<String, Integer> deadLettersBefore = SuiteKafka.deadLetterSizes(stack);
        AtomicBoolean down = new AtomicBoolean();
        Queue<String> eventSourcesWhileDown = new ConcurrentLinkedQueue<>();
        SuiteClient otherStore = new SuiteClient(stack.gateway().url(), "store-" + which + "-" + how + "-events");
        // one write every 200 ms, so that events for the store's consumers keep coming while it is down
        ScheduledExecutorService eventWriter = Executors.newSingleThreadScheduledExecutor();
        eventWriter.scheduleWithFixedDelay(() -> {
            boolean whileDown = down.get();
            SuiteClient.Reply reply = otherStore.post(store.eventsForItsConsumers().path(),
                    store.eventsForItsConsumers().body().apply(n.incrementAndGet()));
            if (reply.status() == 201 && whileDown && down.get()) {
                eventSourcesWhileDown.add(reply.json().path("id").asText());
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
        // stopped in any case: writers left running by a failed case would keep the next case's Kafka from going quiet
        try {
            Component component = store.component().apply(stack);
            List<String> readinessWhileDown = new ArrayList<>();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 20);
                if (how.equals("killed")) {
                    component.kill(); // SIGKILL right after writes were acknowledged: each must survive it
                } else {
                    component.stop();
                }
                down.set(true);
                long stoppedAt = System.nanoTime();
                // the services notice: not ready while the store is down
                for (Function<LocalStack, ServiceProcess> service : store.services()) {
                    SuiteClient direct = new SuiteClient(service.apply(stack).url());
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                            .until(() -> direct.get("/q/health/ready").status() == 503);
                    readinessWhileDown.add(service.apply(stack).name());
                }
                if (which.equals("mongodb")) {
                    // a CI number in a path is resolved only for an authenticated caller: without a token the answer is
                    // the 401 at once, not a wait for the store (its server selection gives up after 5 s)
                    HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(stack.cmdbService().url() + "/api/cmdb/cis/CI0010001/history")).timeout(Duration.ofSeconds(3)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(401);
                }
                // writes keep coming while it is down: each is refused
                int refusedBefore = refused.get();
                await().atMost(Duration.ofSeconds(30)).until(() -> refused.get() >= refusedBefore + 2);
                // and events for its consumers keep coming: they wait for the store, and each service's metrics say so
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> eventSourcesWhileDown.size() >= 3
                                && System.nanoTime() - stoppedAt >= DOWN_AT_LEAST.toNanos()
                                && store.services().stream().allMatch(s -> waitingForDatastore(s.apply(stack)) >= 1));
            } finally {
                down.set(false);
                if (!component.isRunning()) {
                    component.start();
                }
            }
            for (Function<LocalStack, ServiceProcess> service : store.services()) {
                SuiteClient direct = new SuiteClient(service.apply(stack).url());
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> direct.get("/q/health/ready").status() == 200);
            }
            int before = acknowledged.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= before + 10);
            writing.set(false);
            for (Future<?> f : running) {
                f.get();
            }
            writers.shutdownNow();
            eventWriter.shutdown(); // cancels the next writes; one under way finishes
            assertThat(eventWriter.awaitTermination(30, TimeUnit.SECONDS)).as("the event writer stopped").isTrue();
            if (which.equals("postgresql")) {
                // incident-service applied the CIs created while its store was down: an incident may name them
                String ci = eventSourcesWhileDown.stream().reduce((first, last) -> last).orElseThrow();
                SuiteClient gateway = RunningSuite.gateway();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> gateway.post(
                        "/api/incidents", "{\"shortDescription\":\"on a CI made while the store was down\",\"impact\":3,"
                                + "\"urgency\":3,\"configurationItemIds\":[\"" + ci + "\"]}").status() == 201);
            }
            SuiteKafka.awaitQuiet(stack, ReplayTest.GROUPS);

            assertThat(readinessWhileDown).hasSize(store.services().size());
            assertThat(refused.get()).as("writes refused while the store was down").isPositive();
            assertThat(wrong).as("refusals that were not 503 problems").isEmpty();
            assertThat(slowestRefusal.get()).as("slowest refusal, ms").isLessThan(FAST_MILLIS);
            // read back with a client of its own rate-limit bucket, each read repeated while the gateway answers 429: the
            // writes are more than one bucket holds, and a 429 says nothing about whether the write is there
            SuiteClient checker = SuiteClient.waitingOutRateLimits(stack.gateway().url(), "store-" + which + "-" + how + "-check");
            List<String> missing = acknowledged.stream().map(path -> path + " " + checker.get(path).status())
                    .filter(answer -> !answer.endsWith(" 200")).toList();
            assertThat(missing).as("acknowledged writes missing after the restart (path, status)").isEmpty();
            assertThat(eventSourcesWhileDown).as("events published for the consumers while the store was down").isNotEmpty();
            assertThat(SuiteKafka.deadLetterSizes(stack)).as("dead letters: events that waited for the store are not among them")
                    .isEqualTo(deadLettersBefore);
            for (Function<LocalStack, ServiceProcess> service : store.services()) {
                assertThat(waitingForDatastore(service.apply(stack))).as("events still waiting").isZero();
            }
            System.out.printf("%s %s and started: %d writes acknowledged (all present), %d refused with 503, slowest refusal %d ms%n",
                    which, how, acknowledged.size(), refused.get(), slowestRefusal.get());
        } finally {
            writing.set(false);
            writers.shutdownNow();
            eventWriter.shutdownNow();
        }
    }

    /** A service's {@code itsm_inbox_waiting_for_datastore} from its Prometheus endpoint. */
    private static double waitingForDatastore(ServiceProcess service) {
        String metrics = new SuiteClient(service.url()).get("/q/metrics").text();
        Matcher m = Pattern.compile("^itsm_inbox_waiting_for_datastore(\\{[^}]*})? ([0-9.E+-]+)$", Pattern.MULTILINE)
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(2)) : -1;
    }
}
