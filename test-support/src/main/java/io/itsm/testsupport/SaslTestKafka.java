package io.itsm.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;

/**
 * A second real Kafka broker in the test JVM whose only client listener takes SASL (PLAIN) and whose authorizer
 * refuses whatever no ACL allows, as a production cluster does: for tests that a service reaches Kafka with the
 * security settings of its {@code kafka.*} configuration alone. Started once per JVM, on first use.
 *
 * <p>Users (Kafka's test kit): {@link #ADMIN}, a super user, for the tests' own clients; {@link #SERVICE}, which may
 * do only what {@link #allow} granted it.
 */
public final class SaslTestKafka {

    public static final String ADMIN = JaasUtils.KAFKA_PLAIN_ADMIN;
    public static final String SERVICE = JaasUtils.KAFKA_PLAIN_USER1;

    private static KafkaClusterTestKit cluster;

    private SaslTestKafka() {
    }

    /** Starts the broker once per JVM and returns its bootstrap servers. */
    public static synchronized String bootstrapServers() {
        if (cluster == null) {
            try {
                cluster = TestKafka.startCluster("itsm-test-kafka-sasl", SecurityProtocol.SASL_PLAINTEXT);
            } catch (Exception e) {
                throw new IllegalStateException("could not start the SASL test Kafka broker", e);
            }
        }
        return cluster.bootstrapServers();
    }

    /** The client settings of the super user. */
    public static Map<String, String> adminSettings() {
        return settings(ADMIN, JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD);
    }

    /** The client settings of the service's user. */
    public static Map<String, String> serviceSettings() {
        return settings(SERVICE, JaasUtils.KAFKA_PLAIN_USER1_PASSWORD);
    }

    /** Client settings of a user with that password (a wrong one is refused at the handshake). */
    public static Map<String, String> settings(String user, String password) {
        return Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_PLAINTEXT.name,
                SaslConfigs.SASL_MECHANISM, "PLAIN",
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"" + user + "\" password=\"" + password + "\";");
    }

    /** Creates the topics that do not exist yet. */
    public static void createTopics(List<String> topics, int partitions) {
        TestKafka.createTopics(admin(), topics, partitions);
    }

    /**
     * Grants {@link #SERVICE} what the deployment's {@code KafkaUser} of a service grants it, and nothing more: read
     * the topics it reads (its consumers, and the relay's check of its own topic), write the topics it writes (its
     * events, the dead-letter topics of what it consumes), and read its consumer group.
     */
    public static void allow(List<String> readTopics, List<String> writeTopics, String group) {
        String principal = "User:" + SERVICE;
        List<AclBinding> acls = new ArrayList<>();
        readTopics.forEach(topic -> acls.add(acl(ResourceType.TOPIC, topic, principal, AclOperation.READ)));
        writeTopics.forEach(topic -> acls.add(acl(ResourceType.TOPIC, topic, principal, AclOperation.WRITE)));
        acls.add(acl(ResourceType.GROUP, group, principal, AclOperation.READ));
        try (Admin admin = admin()) {
            admin.createAcls(acls).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("could not create the service's ACLs", e);
        }
    }

    private static AclBinding acl(ResourceType type, String name, String principal, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    private static Admin admin() {
        return TestKafka.admin(bootstrapServers(), adminSettings());
    }
}
