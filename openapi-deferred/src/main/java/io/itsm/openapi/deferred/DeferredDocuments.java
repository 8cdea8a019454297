package io.itsm.openapi.deferred;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import org.jboss.logging.Logger;

/**
 * The OpenAPI documents of a service, built on the first request for one instead of while the service starts.
 *
 * <p>quarkus-smallrye-openapi (3.34) builds every document at start: its recorder calls
 * {@code OpenApiDocumentService.prepareDocument}, which reads the document the build wrote, runs the filters and
 * writes it as JSON and YAML (about 0.17 s of change-service's start on two cores, and the document's model and
 * classes on the heap of a service nobody asks for it). The deployment module of this extension rewrites that class
 * while the application is built: {@code prepareDocument} becomes {@link #PREPARE_NOW}, a new {@code prepareDocument}
 * hands its arguments to {@link #defer}, and {@code getDocument}, which the {@code /q/openapi} handler calls, first
 * calls {@link #prepare}. The document served is the same; only when it is built moves.
 *
 * <p>Upstream made the document lazy after 3.34 (quarkusio/quarkus#55538); the build fails, naming this extension,
 * when the rewritten methods are not there any more, so the extension goes when the platform has the fix.
 */
public final class DeferredDocuments {

    /** The name the original {@code prepareDocument} is given in the rewritten class. */
    public static final String PREPARE_NOW = "itsm$prepareDocumentNow";

    private static final Logger LOG = Logger.getLogger(DeferredDocuments.class);

    /** What the recorder asked for, per document service (one per application start), kept until built. */
    private static final Map<Object, List<Pending>> PENDING = new WeakHashMap<>();

    private record Pending(Object[] arguments, ClassLoader classLoader) {
        String documentName() {
            return (String) arguments[2];
        }
    }

    private DeferredDocuments() {
    }

    /**
     * Called instead of the document service's {@code prepareDocument}, with its arguments: remembers them and the
     * class loader the document is to be read with (the start's context class loader, as the original reads it).
     */
    public static void defer(Object service, Object securityFilter, Map<?, ?> filtersByStage, String documentName) {
        Pending pending = new Pending(new Object[] { securityFilter, filtersByStage, documentName },
                Thread.currentThread().getContextClassLoader());
        synchronized (PENDING) {
            PENDING.computeIfAbsent(service, s -> new ArrayList<>()).add(pending);
        }
    }

    /** Whether the service still has a document to build. */
    public static boolean pending(Object service) {
        synchronized (PENDING) {
            return PENDING.containsKey(service);
        }
    }

    /**
     * Called at the start of the document service's {@code getDocument}: builds what {@link #defer} kept, once. A
     * build that fails is thrown to the request that asked and tried again by the next one.
     */
    public static void prepare(Object service) {
        synchronized (PENDING) {
            List<Pending> pending = PENDING.get(service);
            if (pending == null) {
                return;
            }
            Method prepareNow = prepareNow(service.getClass());
            while (!pending.isEmpty()) {
                Pending next = pending.get(0);
                long started = System.nanoTime();
                build(service, prepareNow, next);
                pending.remove(0);
                LOG.debugf("OpenAPI document %s built on its first request in %d ms", next.documentName(),
                        (System.nanoTime() - started) / 1_000_000);
            }
            PENDING.remove(service);
        }
    }

    private static void build(Object service, Method prepareNow, Pending pending) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        if (pending.classLoader() != null) {
            thread.setContextClassLoader(pending.classLoader());
        }
        try {
            prepareNow.invoke(service, pending.arguments());
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("OpenAPI document " + pending.documentName() + " could not be built", cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static Method prepareNow(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                if (method.getName().equals(PREPARE_NOW)) {
                    method.setAccessible(true);
                    return method;
                }
            }
        }
        throw new IllegalStateException(type.getName() + " has no " + PREPARE_NOW
                + ": the openapi-deferred extension's build step did not rewrite it");
    }
}
