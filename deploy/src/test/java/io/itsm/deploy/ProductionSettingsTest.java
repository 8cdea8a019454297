package io.itsm.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the production overlay promises beyond the generic policy: data, messaging, OIDC and the budgets. */
class ProductionSettingsTest {

    private static final Set<String> SERVICES = Set.of("gateway", "incident-service", "change-service", "cmdb-service");

    private final Manifest production = Renders.overlay("production");

    @Test
    void kafkaKeepsEveryEventTopicAndItsDeadLetterTopicReplicated() {
        Map<String, JsonNode> topics = production.ofKind("KafkaTopic")
                .collect(Collectors.toMap(t -> t.path("spec").path("topicName").asText(), t -> t.path("spec")));
        assertThat(topics).containsOnlyKeys("itsm.incident.events", "itsm.change.events", "itsm.cmdb.events",
                "itsm.incident.events.dlq", "itsm.change.events.dlq", "itsm.cmdb.events.dlq");
        topics.forEach((name, spec) -> {
            assertThat(spec.path("replicas").asInt()).as("replicas of %s", name).isEqualTo(3);
            assertThat(spec.path("config").path("min.insync.replicas").asInt()).as("min ISR of %s", name).isEqualTo(2);
            assertThat(spec.path("config").path("retention.ms").asLong()).as("retention of %s", name).isPositive();
            assertThat(spec.path("partitions").asInt()).as("partitions of %s", name).isGreaterThanOrEqualTo(3);
        });

        JsonNode kafka = production.find("Kafka", "itsm-kafka").orElseThrow();
        assertThat(kafka.path("metadata").path("annotations").path("strimzi.io/kraft").asText()).isEqualTo("enabled");
        assertThat(kafka.path("metadata").path("annotations").path("strimzi.io/node-pools").asText()).isEqualTo("enabled");
        assertThat(kafka.path("spec").path("kafka").path("config").path("min.insync.replicas").asInt()).isEqualTo(2);
        JsonNode pool = production.ofKind("KafkaNodePool").findFirst().orElseThrow().path("spec");
        assertThat(pool.path("replicas").asInt()).isEqualTo(3);
        assertThat(pool.path("roles").valueStream().map(JsonNode::asText)).containsExactlyInAnyOrder("controller", "broker");
    }

    /**
     * Kafka takes only authenticated clients over TLS and lets them do what ACLs allow; each service signs in as its
     * own KafkaUser, verifies the brokers against the cluster CA, and writes only its own event topic.
     */
    @Test
    void kafkaTakesEachServiceAsItsOwnUserOverTls() {
        JsonNode kafka = production.find("Kafka", "itsm-kafka").orElseThrow().path("spec").path("kafka");
        assertThat(kafka.path("listeners")).hasSize(1);
        JsonNode listener = kafka.path("listeners").path(0);
        assertThat(listener.path("tls").asBoolean()).isTrue();
        assertThat(listener.path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
        assertThat(kafka.path("authorization").path("type").asText()).isEqualTo("simple");
        assertThat(production.find("Kafka", "itsm-kafka").orElseThrow().path("spec").path("entityOperator")
                .path("userOperator").isObject()).isTrue();

        Map<String, String> ownTopic = Map.of("incident-service", "itsm.incident.events",
                "change-service", "itsm.change.events", "cmdb-service", "itsm.cmdb.events");
        int checked = 0;
        for (ObjectNode deployment : production.ofKind("Deployment").toList()) {
            String name = Manifest.name(deployment);
            Map<String, String> env = environment(deployment);
            if (!env.containsKey("KAFKA_BOOTSTRAP_SERVERS")) {
                continue;
            }
            assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).as("bootstrap of %s", name).endsWith(":" + listener.path("port").asInt());
            assertThat(env).as("Kafka settings of %s", name)
                    .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                    .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                    .containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");

            JsonNode pod = PodTemplate.of(deployment).orElseThrow().spec();
            JsonNode container = pod.path("containers").path(0);
            JsonNode jaas = container.path("env").valueStream()
                    .filter(e -> e.path("name").asText().equals("KAFKA_SASL_JAAS_CONFIG")).findFirst().orElseThrow()
                    .path("valueFrom").path("secretKeyRef");
            assertThat(jaas.path("name").asText()).as("the KafkaUser secret of %s", name).isEqualTo(name);
            assertThat(jaas.path("key").asText()).isEqualTo("sasl.jaas.config");
            JsonNode user = production.find("KafkaUser", name).orElseThrow().path("spec");
            assertThat(user.path("authentication").path("type").asText()).isEqualTo("scram-sha-512");

            String truststore = env.get("KAFKA_SSL_TRUSTSTORE_LOCATION");
            String caVolume = container.path("volumeMounts").valueStream()
                    .filter(m -> truststore.startsWith(m.path("mountPath").asText() + "/")).findFirst().orElseThrow()
                    .path("name").asText();
            assertThat(pod.path("volumes").valueStream().filter(v -> v.path("name").asText().equals(caVolume))
                    .findFirst().orElseThrow().path("secret").path("secretName").asText())
                    .as("the truststore of %s", name).isEqualTo("itsm-kafka-cluster-ca-cert");

            Set<String> written = new TreeSet<>();
            user.path("authorization").path("acls").forEach(acl -> {
                boolean writes = acl.path("operations").valueStream().anyMatch(o -> o.asText().equals("Write"));
                String topic = acl.path("resource").path("name").asText();
                if (writes && acl.path("resource").path("type").asText().equals("topic") && !topic.endsWith(".dlq")) {
                    written.add(topic);
                }
            });
            assertThat(written).as("event topics %s may write", name).containsExactly(ownTopic.get(name));
            checked++;
        }
        assertThat(checked).isEqualTo(3);
    }

    @Test
    void everyDatastoreIsAReplicatedOperatorResource() {
        assertThat(production.ofKind("Cluster").collect(Collectors.toMap(Manifest::name,
                c -> c.path("spec").path("bootstrap").path("initdb").path("database").asText())))
                .containsExactlyInAnyOrderEntriesOf(Map.of("incident-db", "incident", "change-db", "change"));
        production.ofKind("Cluster").forEach(c -> assertThat(c.path("spec").path("instances").asInt()).isEqualTo(3));

        JsonNode mongo = production.find("MongoDBCommunity", "cmdb-mongodb").orElseThrow().path("spec");
        assertThat(mongo.path("type").asText()).isEqualTo("ReplicaSet");
        assertThat(mongo.path("members").asInt()).isEqualTo(3);
    }

    @Test
    void credentialsAreOnlyReferencesToSecretsMadeOutsideTheRepository() {
        Set<String> referenced = new TreeSet<>();
        production.ofKind("Deployment").forEach(d -> PodTemplate.of(d).orElseThrow().allContainers()
                .forEach(c -> c.path("env").forEach(e -> {
                    JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                    if (ref.isObject()) {
                        referenced.add(ref.path("name").asText());
                    }
                })));

        // written by CloudNativePG (<cluster>-app), by the MongoDB operator (<resource>-<db>-<user>) and by Strimzi's
        // user operator (<KafkaUser>)
        assertThat(referenced).containsExactly("change-db-app", "change-service", "cmdb-mongodb-admin-cmdb-service",
                "cmdb-service", "incident-db-app", "incident-service");
        assertThat(production.ofKind("Secret")).isEmpty();
    }

    @Test
    void oidcIsConfiguredForEveryService() {
        production.ofKind("Deployment").forEach(d -> assertThat(environment(d))
                .as("environment of %s", Manifest.name(d))
                .containsEntry("QUARKUS_OIDC_AUTH_SERVER_URL", "https://sso.example.com/realms/itsm")
                .containsEntry("MP_JWT_VERIFY_ISSUER", "https://sso.example.com/realms/itsm")
                .containsEntry("QUARKUS_OIDC_TOKEN_ISSUER", "https://sso.example.com/realms/itsm")
                .containsKeys("QUARKUS_OIDC_TOKEN_AUDIENCE", "MP_JWT_VERIFY_AUDIENCES", "MP_JWT_VERIFY_PUBLICKEY_LOCATION"));
    }

    /** SIGTERM comes after the preStop sleep; Quarkus then drains requests, and the relay stops within 10 s. */
    @Test
    void terminationGracePeriodCoversDrainShutdownAndTheOutboxRelay() {
        int relayStop = 10;
        production.ofKind("Deployment").forEach(d -> {
            JsonNode pod = PodTemplate.of(d).orElseThrow().spec();
            JsonNode preStop = pod.path("containers").path(0).path("lifecycle").path("preStop").path("exec").path("command");
            assertThat(preStop.path(0).asText()).as("preStop of %s", Manifest.name(d)).isEqualTo("sleep");
            int sleep = preStop.path(1).asInt();
            int shutdown = seconds(environment(d).get("QUARKUS_SHUTDOWN_TIMEOUT"));

            assertThat(sleep).as("preStop sleep of %s", Manifest.name(d)).isPositive();
            assertThat(pod.path("terminationGracePeriodSeconds").asInt()).as("grace period of %s", Manifest.name(d))
                    .isGreaterThanOrEqualTo(sleep + shutdown + relayStop);
        });
    }

    /** At the autoscaler's maximum, during a rolling update (one surge pod), the pools fit max_connections. */
    @Test
    void connectionPoolsFitTheDatabaseAtMaximumScale() {
        Pattern host = Pattern.compile("jdbc:postgresql://([a-z0-9-]+)-rw:");
        int checked = 0;
        for (ObjectNode deployment : production.ofKind("Deployment").toList()) {
            Map<String, String> env = environment(deployment);
            String url = env.get("QUARKUS_DATASOURCE_JDBC_URL");
            if (url == null) {
                continue;
            }
            Matcher cluster = host.matcher(url);
            assertThat(cluster.find()).as("JDBC URL %s names a CloudNativePG -rw service", url).isTrue();
            int maxConnections = production.find("Cluster", cluster.group(1)).orElseThrow()
                    .path("spec").path("postgresql").path("parameters").path("max_connections").asInt();
            int maxReplicas = production.find("HorizontalPodAutoscaler", Manifest.name(deployment)).orElseThrow()
                    .path("spec").path("maxReplicas").asInt();
            int pool = Integer.parseInt(env.get("QUARKUS_DATASOURCE_JDBC_MAX_SIZE"));
            // PostgreSQL reserves 3 connections for superusers; leave 10 more for the operator and admins
            assertThat((maxReplicas + 1) * pool).as("connections of %s", Manifest.name(deployment))
                    .isLessThanOrEqualTo(maxConnections - 13);
            checked++;
        }
        assertThat(checked).isEqualTo(2);
    }

    @Test
    void servicesAreTheFourOfTheSuite() {
        assertThat(production.ofKind("Deployment").map(Manifest::name).collect(Collectors.toSet())).isEqualTo(SERVICES);
    }

    /** The literal environment of a Deployment's first container: its ConfigMaps (envFrom) overridden by env. */
    private Map<String, String> environment(ObjectNode deployment) {
        JsonNode container = PodTemplate.of(deployment).orElseThrow().spec().path("containers").path(0);
        Map<String, String> env = new HashMap<>();
        container.path("envFrom").forEach(source -> production
                .find("ConfigMap", source.path("configMapRef").path("name").asText())
                .ifPresent(cm -> cm.path("data").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()))));
        container.path("env").forEach(e -> {
            if (e.has("value")) {
                env.put(e.path("name").asText(), e.path("value").asText());
            }
        });
        return env;
    }

    private static int seconds(String duration) {
        assertThat(duration).as("a duration in seconds like 20s").matches("\\d+s");
        return Integer.parseInt(duration.substring(0, duration.length() - 1));
    }
}
