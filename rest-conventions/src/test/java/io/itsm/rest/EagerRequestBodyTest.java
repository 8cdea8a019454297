package io.itsm.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/**
 * {@link EagerRequestBody} on a real Vert.x server: which bodies are in the routing context before the next route runs,
 * and which are left to be streamed. The next route answers {@code read ahead: N bytes} or {@code streamed: N bytes}.
 */
class EagerRequestBodyTest {

    private Vertx vertx;

    @AfterEach
    void close() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSmallDeclaredBodyIsReadBeforeTheNextRouteEvenWhenItArrivesLate() throws Exception {
        int port = server(1024);
        assertThat(exchange(port, post("Content-Length: 13\r\n"), "{\"impact\":2}\n", 0)).endsWith("read ahead: 13 bytes");
        assertThat(exchange(port, post("Content-Length: 13\r\n"), "{\"impact\":2}\n", 300)).endsWith("read ahead: 13 bytes");
    }

    @Test
    void aBodyDeclaredLargerThanTheLimitIsStreamed() throws Exception {
        int port = server(1024);
        String body = "x".repeat(1025);
        assertThat(exchange(port, post("Content-Length: 1025\r\n"), body, 0)).endsWith("streamed: 1025 bytes");
        assertThat(exchange(port, post("Content-Length: 1024\r\n"), body.substring(1), 0)).endsWith("read ahead: 1024 bytes");
    }

    @Test
    void aChunkedBodyIsStreamed() throws Exception {
        int port = server(1024);
        assertThat(exchange(port, post("Transfer-Encoding: chunked\r\n"), "5\r\nhello\r\n0\r\n\r\n", 0)).endsWith("streamed: 5 bytes");
    }

    @Test
    void withoutABodyOrWithTheSizeZeroNothingIsReadAhead() throws Exception {
        int port = server(1024);
        assertThat(exchange(port, "GET /x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", "", 0)).endsWith("streamed: 0 bytes");
        close();
        port = server(0);
        assertThat(exchange(port, post("Content-Length: 13\r\n"), "{\"impact\":2}\n", 0)).endsWith("streamed: 13 bytes");
    }

    @Test
    void onlyAPlainLengthCounts() {
        // what isSmallDeclaredBody is given, through a real request, is covered above; the parsing of odd values here
        assertThat(EagerRequestBody.parsesAsSmall("12", 1024)).isTrue();
        assertThat(EagerRequestBody.parsesAsSmall(" 12 ", 1024)).isTrue();
        assertThat(EagerRequestBody.parsesAsSmall("0", 1024)).isFalse();
        assertThat(EagerRequestBody.parsesAsSmall("-1", 1024)).isFalse();
        assertThat(EagerRequestBody.parsesAsSmall("1e3", 1024)).isFalse();
        assertThat(EagerRequestBody.parsesAsSmall("99999999999999999999", 1024)).isFalse();
    }

    private int server(long eagerBodySize) throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        new EagerRequestBody().register(router, limits(eagerBodySize));
        router.route().handler(rc -> {
            if (rc.body().buffer() != null) {
                rc.response().end("read ahead: " + rc.body().length() + " bytes");
                return;
            }
            Buffer streamed = Buffer.buffer();
            rc.request().handler(streamed::appendBuffer);
            rc.request().endHandler(done -> rc.response().end("streamed: " + streamed.length() + " bytes"));
            rc.request().resume();
        });
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return server.actualPort();
    }

    private static HttpLimitsConfig limits(long eagerBodySize) {
        return new HttpLimitsConfig() {
            @Override
            public int maxUriLength() {
                return 4096;
            }

            @Override
            public int maxHeaderSize() {
                return 24576;
            }

            @Override
            public MemorySize eagerBodySize() {
                return new MemorySize(java.math.BigInteger.valueOf(eagerBodySize));
            }
        };
    }

    private static String post(String bodyHeader) {
        return "POST /x HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nConnection: close\r\n" + bodyHeader + "\r\n";
    }

    /** Sends the head, then after {@code delayMillis} the body, and reads the whole answer. */
    private static String exchange(int port, String head, String body, long delayMillis) throws IOException, InterruptedException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (delayMillis > 0) {
                TimeUnit.MILLISECONDS.sleep(delayMillis); // the body must arrive after the head for this case
            }
            out.write(body.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.US_ASCII);
        }
    }
}
