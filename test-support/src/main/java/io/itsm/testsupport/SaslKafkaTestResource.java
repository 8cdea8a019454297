package io.itsm.testsupport;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a {@code @QuarkusTest} at {@link SaslTestKafka}, the broker that takes only authenticated clients, with the
 * service user's credentials in the service's {@code kafka.*} settings. Init args (topics comma-separated): {@code
 * topics} to create before the application starts, and the service user's {@link SaslTestKafka#allow ACLs}: {@code
 * read-topics}, {@code write-topics} and {@code group}, the same as the service's {@code KafkaUser} in the deployment.
 */
public class SaslKafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private List<String> topics = List.of();
    private List<String> readTopics = List.of();
    private List<String> writeTopics = List.of();
    private String group;

    @Override
    public void init(Map<String, String> initArgs) {
        topics = names(initArgs, "topics");
        readTopics = names(initArgs, "read-topics");
        writeTopics = names(initArgs, "write-topics");
        group = initArgs.get("group");
    }

    private static List<String> names(Map<String, String> initArgs, String key) {
        return Arrays.stream(initArgs.getOrDefault(key, "").split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    @Override
    public Map<String, String> start() {
        String bootstrap = SaslTestKafka.bootstrapServers();
        if (!topics.isEmpty()) {
            SaslTestKafka.createTopics(topics, 3);
        }
        if (group != null) {
            SaslTestKafka.allow(readTopics, writeTopics, group);
        }
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", bootstrap);
        SaslTestKafka.serviceSettings().forEach((key, value) -> config.put("kafka." + key, value));
        return config;
    }

    @Override
    public void stop() {
        // shared by every test class of the JVM; stopped when the JVM exits
    }
}
