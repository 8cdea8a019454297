package io.itsm.testsupport;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a {@code @QuarkusTest} at the real in-JVM Kafka broker of {@link TestKafka}. The init arg
 * {@code topics} (comma-separated) names topics to create before the application starts.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private List<String> topics = List.of();

    @Override
    public void init(Map<String, String> initArgs) {
        String names = initArgs.getOrDefault("topics", "");
        topics = Arrays.stream(names.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    @Override
    public Map<String, String> start() {
        if (!topics.isEmpty()) {
            TestKafka.createTopics(topics, 3);
        }
        return Map.of("kafka.bootstrap.servers", TestKafka.bootstrapServers());
    }

    @Override
    public void stop() {
        // shared by every test class of the JVM; stopped when the JVM exits
    }
}
