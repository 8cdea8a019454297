package io.itsm.events;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The suite's one Kafka protocol binding for CloudEvents: <b>binary content mode</b>. Attributes travel as
 * {@code ce_*} headers, {@code content-type} carries the data content type, and the record value is the
 * JSON data itself, so a consumer that only wants the data reads the value as plain JSON. The record key
 * is the subject (the aggregate id), which keeps every aggregate's events in order on one partition.
 */
public final class KafkaCloudEvents {

    public static final String HEADER_PREFIX = "ce_";
    public static final String CONTENT_TYPE_HEADER = "content-type";

    private KafkaCloudEvents() {
    }

    public static ProducerRecord<String, byte[]> toRecord(String topic, CloudEvent event) {
        RecordHeaders headers = new RecordHeaders();
        put(headers, "ce_specversion", CloudEvent.SPEC_VERSION);
        put(headers, "ce_id", event.id().toString());
        put(headers, "ce_source", event.source().toString());
        put(headers, "ce_type", event.type());
        put(headers, "ce_subject", event.subject());
        put(headers, "ce_time", event.time().toString());
        if (event.dataschema() != null) {
            put(headers, "ce_dataschema", event.dataschema().toString());
        }
        put(headers, CONTENT_TYPE_HEADER, CloudEvent.DATA_CONTENT_TYPE);
        event.extensions().forEach((name, value) -> put(headers, HEADER_PREFIX + name, value));
        return new ProducerRecord<>(topic, null, event.subject(), event.data(), headers);
    }

    /**
     * Reads a record written in binary mode.
     *
     * @throws MalformedEventException naming every attribute that is missing or unreadable; such a record
     *                                 can never be handled and belongs in the dead-letter topic
     */
    public static CloudEvent fromRecord(Headers headers, byte[] value) {
        Map<String, String> attributes = new HashMap<>();
        Map<String, String> extensions = new HashMap<>();
        String contentType = null;
        for (Header header : headers) {
            String name = header.key();
            String text = header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
            if (CONTENT_TYPE_HEADER.equalsIgnoreCase(name)) {
                contentType = text;
            } else if (name.startsWith(HEADER_PREFIX)) {
                String attribute = name.substring(HEADER_PREFIX.length());
                switch (attribute) {
                    case "specversion", "id", "source", "type", "subject", "time", "dataschema" ->
                            attributes.put(attribute, text);
                    default -> extensions.put(attribute, text);
                }
            }
        }
        List<String> problems = new ArrayList<>();
        if (!CloudEvent.SPEC_VERSION.equals(attributes.get("specversion"))) {
            problems.add("ce_specversion must be 1.0 but was " + attributes.get("specversion"));
        }
        UUID id = parse(attributes, "id", UUID::fromString, problems);
        URI source = parse(attributes, "source", KafkaCloudEvents::uri, problems);
        String type = parse(attributes, "type", s -> s, problems);
        String subject = parse(attributes, "subject", s -> s, problems);
        Instant time = parse(attributes, "time", Instant::parse, problems);
        URI dataschema = attributes.get("dataschema") == null ? null : parse(attributes, "dataschema", KafkaCloudEvents::uri, problems);
        if (contentType != null && !contentType.startsWith(CloudEvent.DATA_CONTENT_TYPE)) {
            problems.add("content-type must be application/json but was " + contentType);
        }
        if (value == null || value.length == 0) {
            problems.add("the record has no data");
        }
        if (!problems.isEmpty()) {
            throw new MalformedEventException(String.join("; ", problems));
        }
        return new CloudEvent(id, source, type, subject, time, dataschema, value, extensions);
    }

    private static void put(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static URI uri(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private interface Parser<T> {
        T parse(String text);
    }

    private static <T> T parse(Map<String, String> attributes, String name, Parser<T> parser, List<String> problems) {
        String text = attributes.get(name);
        if (text == null || text.isBlank()) {
            problems.add("ce_" + name + " is missing");
            return null;
        }
        try {
            return parser.parse(text);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            problems.add("ce_" + name + " is not valid: " + text);
            return null;
        }
    }
}
