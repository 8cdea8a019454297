package io.itsm.events;

import java.util.List;

/** The suite's Kafka topics: one per publishing service's aggregates, each with its dead-letter topic. */
public final class Topics {

    public static final String INCIDENT_EVENTS = "itsm.incident.events";
    public static final String CHANGE_EVENTS = "itsm.change.events";
    public static final String CMDB_EVENTS = "itsm.cmdb.events";

    /** Every event topic, without the dead-letter topics. */
    public static final List<String> EVENT_TOPICS = List.of(INCIDENT_EVENTS, CHANGE_EVENTS, CMDB_EVENTS);

    private Topics() {
    }

    /** The dead-letter topic of an event topic: {@code <topic>.dlq}. */
    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }

    /** Every topic the suite needs: the event topics and their dead-letter topics. */
    public static List<String> all() {
        return EVENT_TOPICS.stream().flatMap(t -> java.util.stream.Stream.of(t, deadLetter(t))).toList();
    }
}
