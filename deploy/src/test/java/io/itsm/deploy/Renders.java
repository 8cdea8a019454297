package io.itsm.deploy;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Renders kustomizations once per test run; paths are relative to this module (Maven's working directory). */
final class Renders {

    static final Path KUBERNETES = Path.of("kubernetes");
    static final Path OVERLAYS = KUBERNETES.resolve("overlays");
    static final Path BROKEN = Path.of("src", "test", "resources", "broken");

    private static final Map<Path, Manifest> CACHE = new ConcurrentHashMap<>();

    private Renders() {
    }

    static Manifest overlay(String name) {
        return render(OVERLAYS.resolve(name));
    }

    static Manifest render(Path kustomization) {
        return CACHE.computeIfAbsent(kustomization.toAbsolutePath().normalize(), Manifest::render);
    }
}
