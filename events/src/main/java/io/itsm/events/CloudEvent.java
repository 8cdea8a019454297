package io.itsm.events;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A CloudEvents 1.0 event as the suite exchanges it: the required attributes, the optional ones the suite
 * always sets, and the JSON data (the aggregate's full new state plus what changed).
 *
 * @param extensions further context attributes (for example {@code traceparent}); names are lower-case
 *                   alphanumerics as the specification requires
 */
public record CloudEvent(
        UUID id,
        URI source,
        String type,
        String subject,
        Instant time,
        URI dataschema,
        byte[] data,
        Map<String, String> extensions) {

    public static final String SPEC_VERSION = "1.0";
    public static final String DATA_CONTENT_TYPE = "application/json";

    public CloudEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
        extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    /** The data as a UTF-8 JSON string, for logs and tests. */
    public String dataAsString() {
        return new String(data, java.nio.charset.StandardCharsets.UTF_8);
    }
}
