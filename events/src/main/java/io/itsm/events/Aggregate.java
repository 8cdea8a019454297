package io.itsm.events;

import java.net.URI;
import java.util.Arrays;
import java.util.Optional;

/**
 * The aggregates that publish events: where each one's events go, which service is their source, and the
 * schema of their data. Event types are {@code itsm.<aggregate>.<past-tense action>}.
 */
public enum Aggregate {
    INCIDENT("incident", Topics.INCIDENT_EVENTS, "/itsm/incident-service"),
    CHANGE("change", Topics.CHANGE_EVENTS, "/itsm/change-service"),
    CI("ci", Topics.CMDB_EVENTS, "/itsm/cmdb-service"),
    RELATIONSHIP("relationship", Topics.CMDB_EVENTS, "/itsm/cmdb-service"),
    RECONCILE("reconcile", Topics.CMDB_EVENTS, "/itsm/cmdb-service");

    private final String typeName;
    private final String topic;
    private final URI source;

    Aggregate(String typeName, String topic, String source) {
        this.typeName = typeName;
        this.topic = topic;
        this.source = URI.create(source);
    }

    /** The name used in event types and in the outbox's {@code aggregatetype} column. */
    public String typeName() {
        return typeName;
    }

    public String topic() {
        return topic;
    }

    /** The CloudEvents {@code source} of this aggregate's events. */
    public URI source() {
        return source;
    }

    /** The CloudEvents {@code dataschema}; the schema itself is {@link #schemaResource()} in this module. */
    public URI dataschema() {
        return URI.create("urn:itsm:schema:" + typeName + "-event:1");
    }

    /** Class-path location of the JSON Schema of this aggregate's event data. */
    public String schemaResource() {
        return "schemas/" + typeName + "-event.v1.json";
    }

    public String eventType(String action) {
        return "itsm." + typeName + "." + action;
    }

    public static Optional<Aggregate> ofTypeName(String typeName) {
        return Arrays.stream(values()).filter(a -> a.typeName.equals(typeName)).findFirst();
    }

    /** The aggregate an event type belongs to, e.g. {@code itsm.ci.updated} → {@link #CI}. */
    public static Optional<Aggregate> ofEventType(String eventType) {
        if (eventType == null || !eventType.startsWith("itsm.")) {
            return Optional.empty();
        }
        int dot = eventType.indexOf('.', 5);
        return dot < 0 ? Optional.empty() : ofTypeName(eventType.substring(5, dot));
    }
}
