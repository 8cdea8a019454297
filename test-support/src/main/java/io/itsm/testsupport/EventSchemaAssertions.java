package io.itsm.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.itsm.events.Aggregate;
import io.itsm.events.CloudEvent;

/** Checks that an event a service published is what the suite's published JSON Schema promises. */
public final class EventSchemaAssertions {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Aggregate, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private EventSchemaAssertions() {
    }

    /**
     * @throws AssertionError naming every violation, when the event's data does not match the schema of its
     *                        aggregate or its {@code dataschema} is not that schema's id
     */
    public static void assertMatchesSchema(CloudEvent event) {
        Aggregate aggregate = Aggregate.ofEventType(event.type())
                .orElseThrow(() -> new AssertionError("no aggregate publishes event type " + event.type()));
        if (!aggregate.dataschema().equals(event.dataschema())) {
            throw new AssertionError("dataschema " + event.dataschema() + " is not " + aggregate.dataschema());
        }
        try {
            JsonNode data = JSON.readTree(event.data());
            Set<ValidationMessage> errors = schema(aggregate).validate(data);
            if (!errors.isEmpty()) {
                throw new AssertionError(event.type() + " does not match " + aggregate.schemaResource() + ": "
                        + errors.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; "))
                        + "\n" + event.dataAsString());
            }
        } catch (IOException e) {
            throw new AssertionError("event data is not JSON: " + e.getMessage(), e);
        }
    }

    private static JsonSchema schema(Aggregate aggregate) {
        return SCHEMAS.computeIfAbsent(aggregate, a -> {
            try (InputStream in = Aggregate.class.getClassLoader().getResourceAsStream(a.schemaResource())) {
                if (in == null) {
                    throw new AssertionError("schema " + a.schemaResource() + " is not on the class path");
                }
                SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
                return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(JSON.readTree(in), config);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }
}
