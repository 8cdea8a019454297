package io.itsm.openapi.deferred.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;

import io.itsm.openapi.deferred.DeferredDocuments;
import io.smallrye.openapi.runtime.io.Format;

/**
 * The rewrite applied to the real {@code OpenApiDocumentService} of the platform this suite builds with: the
 * recorder's call builds nothing, the first {@code getDocument} builds the document with the class loader of the
 * start, once.
 */
class DocumentServiceVisitorTest {

    private static final String PACKAGE = "io.quarkus.smallrye.openapi.runtime.";

    @Test
    void theDocumentIsBuiltOnItsFirstRequestWithTheStartsClassLoaderAndOnlyOnce() throws Exception {
        Class<?> serviceClass = new RewritingLoader().loadClass(DocumentServiceVisitor.DOCUMENT_SERVICE);
        assertThat(serviceClass.getDeclaredMethods()).extracting(Method::getName)
                .contains(DocumentServiceVisitor.PREPARE, DeferredDocuments.PREPARE_NOW, DocumentServiceVisitor.GET);
        Object service = serviceClass.getConstructor().newInstance();
        Method prepare = method(serviceClass, DocumentServiceVisitor.PREPARE);
        Method get = method(serviceClass, DocumentServiceVisitor.GET);

        RecordingLoader startLoader = new RecordingLoader();
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(startLoader);
        try {
            prepare.invoke(service, null, Map.of(), "<default>");
        } finally {
            thread.setContextClassLoader(before);
        }
        assertThat(startLoader.asked).as("nothing read while the service starts").isEmpty();
        assertThat(DeferredDocuments.pending(service)).isTrue();

        byte[] document = (byte[]) get.invoke(service, "<default>", Format.JSON);

        assertThat(startLoader.asked).as("the build-time document looked up once, with the start's class loader")
                .singleElement().asString().startsWith("META-INF/").contains("openapi");
        assertThat(document).as("no build-time document on this class path: the empty document").isEmpty();
        assertThat(DeferredDocuments.pending(service)).isFalse();
        assertThat((byte[]) get.invoke(service, "<default>", Format.YAML)).isEmpty();
        assertThat(startLoader.asked).as("built once").hasSize(1);
    }

    @Test
    void aServiceThatWasNeverPreparedServesWhatTheOriginalWould() throws Exception {
        Class<?> serviceClass = new RewritingLoader().loadClass(DocumentServiceVisitor.DOCUMENT_SERVICE);
        Object service = serviceClass.getConstructor().newInstance();

        assertThat((byte[]) method(serviceClass, DocumentServiceVisitor.GET).invoke(service, "other", Format.JSON))
                .isEmpty();
        assertThat(DeferredDocuments.pending(service)).isFalse();
    }

    @Test
    void aClassWithoutTheMethodsFailsTheBuildNamingTheExtension() {
        ClassReader reader = new ClassReader(bytes(getClass().getName()));

        assertThatThrownBy(() -> reader.accept(new DocumentServiceVisitor(new ClassWriter(0)), 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("openapi-deferred")
                .hasMessageContaining(DocumentServiceVisitor.PREPARE);
    }

    private static Method method(Class<?> type, String name) {
        for (Method method : type.getDeclaredMethods()) {
            if (method.getName().equals(name)) {
                method.setAccessible(true);
                return method;
            }
        }
        throw new AssertionError(name);
    }

    private static byte[] bytes(String className) {
        try (InputStream in = DocumentServiceVisitorTest.class.getClassLoader()
                .getResourceAsStream(className.replace('.', '/') + ".class")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Defines the document service's package itself (its nested classes are package-private), rewriting the one. */
    private static final class RewritingLoader extends ClassLoader {
        RewritingLoader() {
            super(DocumentServiceVisitorTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(PACKAGE) || name.substring(PACKAGE.length()).contains(".")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    byte[] original = bytes(name);
                    byte[] defined = original;
                    if (name.equals(DocumentServiceVisitor.DOCUMENT_SERVICE)) {
                        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
                        new ClassReader(original).accept(new DocumentServiceVisitor(writer), 0);
                        defined = writer.toByteArray();
                    }
                    loaded = defineClass(name, defined, 0, defined.length);
                }
                return loaded;
            }
        }
    }

    /** A context class loader that finds no resource and records what it was asked for. */
    private static final class RecordingLoader extends ClassLoader {
        final List<String> asked = Collections.synchronizedList(new ArrayList<>());

        RecordingLoader() {
            super(null);
        }

        @Override
        public URL getResource(String name) {
            asked.add(name);
            return null;
        }
    }
}
