package io.itsm.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/** The run command's restarts, on a fake process and a clock the test moves. */
class ComponentSupervisorTest {

    private long now = 1_000_000_000L;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final FakeComponent service = new FakeComponent();

    private ComponentSupervisor supervisor(boolean restart) {
        return new ComponentSupervisor(List.of(service), restart, Path.of("logs"),
                new PrintStream(output, true, StandardCharsets.UTF_8), () -> now, closing::get);
    }

    private void advance(Duration d) {
        now += d.toNanos();
    }

    private String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aProcessThatDiedIsReportedThenStartedAgainAfterTheDelay() {
        ComponentSupervisor supervisor = supervisor(true);
        supervisor.check();
        assertThat(output()).isEmpty();

        service.running = false;
        supervisor.check();
        assertThat(output()).isEqualTo("itsm: cmdb-service is no longer running; see " + Path.of("logs", "cmdb-service.log")
                + "; starting it again in 1.0 s\n");
        advance(Duration.ofMillis(999));
        supervisor.check();
        assertThat(service.starts).isZero();

        advance(Duration.ofMillis(1));
        supervisor.check();
        assertThat(service.starts).isEqualTo(1);
        assertThat(service.stops).as("stopped first, to let go of the dead process").isEqualTo(1);
        assertThat(service.running).isTrue();
        assertThat(output()).endsWith("itsm: cmdb-service is running again (restart 1, started in 1.5 s)\n");
    }

    @Test
    void theDelayDoublesAfterEachRestartUpToAMinuteAndIsBackToASecondAfterTwoMinutesOfRunning() {
        ComponentSupervisor supervisor = supervisor(true);
        long[] expected = { 1, 2, 4, 8, 16, 32, 60, 60 };
        for (long seconds : expected) {
            service.running = false;
            supervisor.check(); // noticed
            advance(Duration.ofSeconds(seconds).minusMillis(1));
            supervisor.check();
            assertThat(service.running).as("started before its delay of %d s", seconds).isFalse();
            advance(Duration.ofMillis(1));
            supervisor.check();
            assertThat(service.running).as("started after %d s", seconds).isTrue();
        }
        assertThat(service.starts).isEqualTo(expected.length);

        advance(ComponentSupervisor.STABLE_AFTER);
        supervisor.check();
        service.running = false;
        supervisor.check();
        assertThat(output()).endsWith("; starting it again in 1.0 s\n");
    }

    @Test
    void aStartThatFailsIsTriedAgainAfterALongerDelay() {
        ComponentSupervisor supervisor = supervisor(true);
        service.running = false;
        service.failStarts = 1;
        supervisor.check();
        advance(Duration.ofSeconds(1));
        supervisor.check();
        assertThat(service.running).isFalse();
        assertThat(output()).endsWith("itsm: cmdb-service did not start again (port 8083 is taken); next try in 2.0 s\n");

        advance(Duration.ofMillis(1_999));
        supervisor.check();
        assertThat(service.starts).isEqualTo(1);
        advance(Duration.ofMillis(1));
        supervisor.check();
        assertThat(service.running).isTrue();
        assertThat(output()).endsWith("(restart 2, started in 1.5 s)\n");
    }

    @Test
    void withRestartsOffADeadProcessIsReportedOnceAndLeftAlone() {
        ComponentSupervisor supervisor = supervisor(false);
        service.running = false;
        for (int i = 0; i < 5; i++) {
            supervisor.check();
            advance(Duration.ofMinutes(1));
        }
        assertThat(service.starts).isZero();
        assertThat(output()).isEqualTo("itsm: cmdb-service is no longer running; see " + Path.of("logs", "cmdb-service.log")
                + " (ITSM_RESTART=off)\n");
    }

    @Test
    void nothingIsStartedOnceTheStackIsStopping() {
        ComponentSupervisor supervisor = supervisor(true);
        service.running = false;
        supervisor.check();
        closing.set(true);
        advance(Duration.ofMinutes(1));
        supervisor.check();
        assertThat(service.starts).isZero();
    }

    @Test
    void aProcessStartedWhileTheStackBeganToStopIsStoppedAgain() {
        ComponentSupervisor supervisor = supervisor(true);
        service.running = false;
        supervisor.check();
        advance(Duration.ofSeconds(1));
        service.onStart = () -> closing.set(true);
        supervisor.check();
        assertThat(service.starts).isEqualTo(1);
        assertThat(service.running).isFalse();
    }

    private static final class FakeComponent implements Component {
        boolean running = true;
        int starts;
        int stops;
        int failStarts;
        Runnable onStart = () -> { };

        @Override
        public String name() {
            return "cmdb-service";
        }

        @Override
        public void start() {
            starts++;
            if (failStarts > 0) {
                failStarts--;
                throw new LocalStackException("port 8083 is taken");
            }
            running = true;
            onStart.run();
        }

        @Override
        public void stop() {
            stops++;
            running = false;
        }

        @Override
        public void kill() {
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public long pid() {
            return running ? 42 : -1;
        }

        @Override
        public long rssBytes() {
            return 0;
        }

        @Override
        public long startupMillis() {
            return 1_500;
        }

        @Override
        public String endpoint() {
            return "http://127.0.0.1:8083";
        }
    }
}
