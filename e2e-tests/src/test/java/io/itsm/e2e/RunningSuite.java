package io.itsm.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.itsm.localstack.LocalStack;
import io.itsm.localstack.LocalStackConfig;

/**
 * The whole suite as a user runs it, started once for every end-to-end test class of this JVM and stopped after the
 * last: real Kafka, PostgreSQL and MongoDB-wire processes and the four packaged services, started by local-stack on
 * random ports, in a fresh data directory.
 */
final class RunningSuite implements BeforeAllCallback {

    private static LocalStack stack;

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (RunningSuite.class) {
            if (stack == null) {
                Path data = Path.of(System.getProperty("itsm.e2e.data", "target/e2e-data"));
                deleteRecursively(data);
                stack = LocalStack.start(LocalStackConfig.builder().dataDir(data).randomPorts().build());
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                        .put(RunningSuite.class, (ExtensionContext.Store.CloseableResource) RunningSuite::stop);
            }
        }
    }

    /** The running stack (after {@link #beforeAll}). */
    static LocalStack stack() {
        return stack;
    }

    /** A client of the gateway with a token carrying every role. */
    static SuiteClient gateway() {
        return new SuiteClient(stack.gateway().url());
    }

    private static synchronized void stop() {
        if (stack != null) {
            stack.close();
            stack = null;
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
    }
}
