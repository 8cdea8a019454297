package io.itsm.events.outbox;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A service's Kafka client settings (its {@code kafka.*} configuration: the connection's security, batch sizes ...)
 * narrowed to what one kind of client knows, so that a producer, consumer or admin client built beside the connector's
 * connects the same way and logs no unknown setting.
 */
public final class KafkaClientSettings {

    private KafkaClientSettings() {
    }

    /** The settings named in {@code names} (e.g. {@code ProducerConfig.configNames()}) that have a value. */
    public static Map<String, Object> known(Map<String, ?> settings, Set<String> names) {
        Map<String, Object> known = new HashMap<>();
        settings.forEach((key, value) -> {
            if (names.contains(key) && value != null) {
                known.put(key, value);
            }
        });
        return known;
    }
}
