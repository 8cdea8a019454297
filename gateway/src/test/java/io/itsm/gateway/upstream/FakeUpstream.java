package io.itsm.gateway.upstream;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A real HTTP server standing in for one upstream service in tests: it echoes every request back as JSON,
 * answers {@code /q/health} and {@code /q/openapi}, and can be stopped, restarted or made unready.
 *
 * <p>Echo controls: request header {@code X-Echo-Status} sets the response status, and each
 * {@code X-Echo-Response-<Name>} header comes back as response header {@code <Name>}. A path ending in
 * {@code /slow} is never answered.
 */
public final class FakeUpstream {

    public static final String ECHO_STATUS = "X-Echo-Status";
    public static final String ECHO_RESPONSE_PREFIX = "X-Echo-Response-";

    private final Vertx vertx;
    private final String serviceName;
    private volatile boolean ready = true;
    private final AtomicLong echoed = new AtomicLong();
    private final AtomicLong slowRequests = new AtomicLong();
    private final Map<String, Stub> stubs = new ConcurrentHashMap<>();
    private final Map<String, HttpServerRequest> lastRequests = new ConcurrentHashMap<>();

    /** A canned answer for one path; {@code delayMillis} before answering. */
    private record Stub(int status, String json, long delayMillis) {
    }
    private HttpServer server;
    private int port;

    FakeUpstream(Vertx vertx, String serviceName) {
        this.vertx = vertx;
        this.serviceName = serviceName;
    }

    /** Starts listening: on a random free port the first time, on the same port after a {@link #stop()}. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        // Headers up to the services' own limit (itsm.http.max-header-size), above the gateway's.
        HttpServer created = vertx.createHttpServer(new HttpServerOptions().setMaxHeaderSize(24_576))
                .requestHandler(this::handle);
        server = await(created.listen(port, "127.0.0.1"));
        port = server.actualPort();
    }

    /** Stops listening and closes every open connection, so calls to it are refused. */
    public synchronized void stop() {
        if (server != null) {
            await(server.close());
            server = null;
        }
    }

    public synchronized boolean running() {
        return server != null;
    }

    /** Makes the service report itself ready (UP) or not (its Kafka check DOWN, 503). */
    public void ready(boolean ready) {
        this.ready = ready;
    }

    /** From now on, answers {@code GET path} (any query) with {@code status} and the JSON {@code body}. */
    public void stub(String path, int status, String json) {
        stubs.put(path, new Stub(status, json, 0));
    }

    /** From now on, answers {@code path} only after {@code delayMillis}. */
    public void stubSlow(String path, long delayMillis, String json) {
        stubs.put(path, new Stub(200, json, delayMillis));
    }

    /** The last request for a stubbed {@code path}: its URI and headers, or {@code null}. */
    public HttpServerRequest lastRequest(String path) {
        return lastRequests.get(path);
    }

    /** Forgets every stub. */
    public void clearStubs() {
        stubs.clear();
        lastRequests.clear();
    }

    /** How many API requests (not health or documents) this upstream has answered so far. */
    public long apiRequests() {
        return echoed.get();
    }

    /** How many requests to a {@code /slow} path (never answered) have arrived so far. */
    public long slowRequests() {
        return slowRequests.get();
    }

    public String serviceName() {
        return serviceName;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        Stub stub = stubs.get(path);
        if (stub != null) {
            lastRequests.put(path, request);
            vertx.setTimer(Math.max(1, stub.delayMillis()), t -> request.response().setStatusCode(stub.status())
                    .putHeader("Content-Type", stub.status() >= 400 ? "application/problem+json" : "application/json")
                    .end(stub.json()));
        } else if (path.equals("/q/health")) {
            health(request);
        } else if (path.equals("/q/openapi")) {
            openApi(request);
        } else if (path.endsWith("/slow")) {
            slowRequests.incrementAndGet();
            request.pause(); // never answered: the gateway's request timeout must fire
        } else {
            request.body().onSuccess(body -> echo(request, body));
        }
    }

    private void health(HttpServerRequest request) {
        String kafka = ready ? "UP" : "DOWN";
        JsonObject body = new JsonObject()
                .put("status", ready ? "UP" : "DOWN")
                .put("checks", new JsonArray()
                        .add(new JsonObject().put("name", "Database connections health check").put("status", "UP"))
                        .add(new JsonObject().put("name", "Kafka connection health check").put("status", kafka)));
        request.response().setStatusCode(ready ? 200 : 503)
                .putHeader("Content-Type", "application/json")
                .end(body.encode());
    }

    private void openApi(HttpServerRequest request) {
        JsonObject document = new JsonObject()
                .put("openapi", "3.1.0")
                .put("info", new JsonObject().put("title", serviceName).put("version", "test"))
                .put("x-requested-query", request.query())
                .put("tags", new JsonArray().add(new JsonObject().put("name", serviceName + " things")))
                .put("paths", new JsonObject().put("/api/" + serviceName + "/things", new JsonObject().put("get",
                        new JsonObject().put("tags", new JsonArray().add(serviceName + " things"))
                                .put("operationId", serviceName + "_list").put("summary", "List things")
                                .put("responses", new JsonObject().put("200", new JsonObject().put("description", "ok"))))));
        request.response().putHeader("Content-Type", "application/json").end(document.encode());
    }

    private void echo(HttpServerRequest request, Buffer body) {
        echoed.incrementAndGet();
        JsonObject headers = new JsonObject();
        request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        JsonObject echo = new JsonObject()
                .put("upstream", serviceName)
                .put("method", request.method().name())
                .put("uri", request.uri())
                .put("path", request.path())
                .put("query", request.query())
                .put("headers", headers)
                .put("bodyLength", body.length())
                .put("bodySha256", sha256(body))
                .put("body", body.length() <= 64 * 1024 ? body.toString() : null);
        var response = request.response();
        String status = request.getHeader(ECHO_STATUS);
        response.setStatusCode(status == null ? 200 : Integer.parseInt(status));
        for (Map.Entry<String, String> header : request.headers()) {
            if (header.getKey().regionMatches(true, 0, ECHO_RESPONSE_PREFIX, 0, ECHO_RESPONSE_PREFIX.length())) {
                response.headers().add(header.getKey().substring(ECHO_RESPONSE_PREFIX.length()), header.getValue());
            }
        }
        response.putHeader("X-Upstream", serviceName);
        if (response.getStatusCode() == 204 || request.method().name().equals("HEAD")) {
            response.end();
        } else {
            response.putHeader("Content-Type", "application/json").end(echo.encode());
        }
    }

    public static String sha256(Buffer body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Fake upstream operation failed", e);
        }
    }
}
