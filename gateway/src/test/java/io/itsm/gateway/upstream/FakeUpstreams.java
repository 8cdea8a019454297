package io.itsm.gateway.upstream;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;

/** The three fake upstream services of a test run, on their own Vert.x instance. */
public final class FakeUpstreams {

    private final Vertx vertx = Vertx.vertx();
    private final Map<String, FakeUpstream> byName = new LinkedHashMap<>();

    FakeUpstreams() {
        for (String name : new String[] { "incident-service", "change-service", "cmdb-service" }) {
            FakeUpstream upstream = new FakeUpstream(vertx, name);
            upstream.start();
            byName.put(name, upstream);
        }
    }

    public FakeUpstream incident() {
        return byName.get("incident-service");
    }

    public FakeUpstream change() {
        return byName.get("change-service");
    }

    public FakeUpstream cmdb() {
        return byName.get("cmdb-service");
    }

    /** Puts every upstream back to running and ready, for the next test. */
    public void restoreAll() {
        byName.values().forEach(upstream -> {
            upstream.start();
            upstream.ready(true);
            upstream.clearStubs();
        });
    }

    void close() {
        byName.values().forEach(FakeUpstream::stop);
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not stop the fake upstreams' Vert.x", e);
        }
    }
}
