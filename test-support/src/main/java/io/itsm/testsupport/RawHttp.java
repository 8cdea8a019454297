package io.itsm.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Sends a request exactly as written, over a plain socket: for what HTTP clients refuse to send, such as a request
 * target that is not a valid URI ({@code ?q=100%}), which a server must still answer properly.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** What came back: the status, the header block (lower-cased names as sent) and the body. */
    public record Answer(int status, String headers, String body) {

        /** The value of the first header of this name, or null. */
        public String header(String name) {
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    /**
     * {@code GET target HTTP/1.1} to 127.0.0.1:port with {@code Connection: close} and the given header lines
     * ({@code "Authorization: Bearer …"}); waits at most 10 s for the whole answer.
     */
    public static Answer get(int port, String target, String... headerLines) {
        StringBuilder request = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                .append(port).append("\r\nConnection: close\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        return send(port, request.append("\r\n").toString());
    }

    /** Sends these bytes (a whole request, as UTF-8) to 127.0.0.1:port; waits at most 10 s for the whole answer. */
    public static Answer send(int port, String request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = response.indexOf("\r\n\r\n");
            String head = end < 0 ? response : response.substring(0, end);
            String statusLine = head.lines().findFirst().orElse("");
            String[] parts = statusLine.split(" ");
            if (parts.length < 2 || !parts[0].toUpperCase(Locale.ROOT).startsWith("HTTP/")) {
                throw new IllegalStateException("not an HTTP answer: " + statusLine);
            }
            return new Answer(Integer.parseInt(parts[1]), head.substring(statusLine.length()).strip(),
                    end < 0 ? "" : response.substring(end + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
