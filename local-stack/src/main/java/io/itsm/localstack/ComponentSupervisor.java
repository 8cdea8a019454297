package io.itsm.localstack;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Starts again a process of the running stack that died, as Kubernetes restarts a crashed container: first after
 * {@link #FIRST_DELAY}, then twice as long after each restart up to {@link #MAX_DELAY}; a process that has run for
 * {@link #STABLE_AFTER} is back to the first delay. Each step is reported on the run command's output. With
 * restarts off, a process that died is only reported.
 */
final class ComponentSupervisor {

    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofSeconds(60);
    static final Duration STABLE_AFTER = Duration.ofMinutes(2);

    private final Map<Component, State> states = new LinkedHashMap<>();
    private final boolean restart;
    private final Path logsDir;
    private final PrintStream out;
    private final LongSupplier nanoTime;
    private final BooleanSupplier closing;

    private static final class State {
        long downSince = -1;
        long upSince;
        Duration delay = FIRST_DELAY;
        int restarts;
    }

    ComponentSupervisor(List<? extends Component> components, boolean restart, Path logsDir, PrintStream out,
            LongSupplier nanoTime, BooleanSupplier closing) {
        this.restart = restart;
        this.logsDir = logsDir;
        this.out = out;
        this.nanoTime = nanoTime;
        this.closing = closing;
        long now = nanoTime.getAsLong();
        for (Component component : components) {
            State state = new State();
            state.upSince = now;
            states.put(component, state);
        }
    }

    /** Looks at every process once: notices those that died and starts again those whose delay has passed. */
    void check() {
        for (Map.Entry<Component, State> entry : states.entrySet()) {
            if (closing.getAsBoolean()) {
                return;
            }
            Component component = entry.getKey();
            State state = entry.getValue();
            long now = nanoTime.getAsLong();
            if (component.isRunning()) {
                if (state.downSince < 0 && now - state.upSince >= STABLE_AFTER.toNanos()) {
                    state.delay = FIRST_DELAY;
                }
                continue;
            }
            if (state.downSince < 0) {
                state.downSince = now;
                out.println("itsm: " + component.name() + " is no longer running; see "
                        + logsDir.resolve(component.name() + ".log")
                        + (restart ? "; starting it again in " + seconds(state.delay) : " (ITSM_RESTART=off)"));
                out.flush();
                continue;
            }
            if (restart && now - state.downSince >= state.delay.toNanos()) {
                startAgain(component, state);
            }
        }
    }

    private void startAgain(Component component, State state) {
        state.restarts++;
        Duration next = state.delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : state.delay.multipliedBy(2);
        try {
            component.stop(); // let go of what the component still holds of the dead process (PostgreSQL's server)
            component.start();
            if (closing.getAsBoolean()) {
                component.stop(); // the stack began to stop while this one started
                return;
            }
            out.println("itsm: " + component.name() + " is running again (restart " + state.restarts + ", started in "
                    + seconds(Duration.ofMillis(component.startupMillis())) + ")");
            state.downSince = -1;
            state.upSince = nanoTime.getAsLong();
        } catch (RuntimeException e) {
            out.println("itsm: " + component.name() + " did not start again (" + e.getMessage() + "); next try in "
                    + seconds(next));
            state.downSince = nanoTime.getAsLong();
        }
        state.delay = next;
        out.flush();
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
