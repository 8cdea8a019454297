package io.itsm.cmdb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;

import io.itsm.events.Aggregate;
import io.itsm.testsupport.KafkaTestResource;
import io.itsm.testsupport.MongoTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

/**
 * The CI events end to end: the REST call writes the CI and its event in one document write, the relay
 * publishes it as a binary-mode CloudEvent on itsm.cmdb.events and empties the document's outbox.
 */
@QuarkusTest
@TestSecurity(user = "sam.agent", roles = "itsm-agent")
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoTestResource.class, restrictToAnnotatedClass = false)
class CiEventsTest {

    @Inject
    MongoClient mongo;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "quarkus.mongodb.database")
    String database;

    @Test
    void createdAndRetiredArriveAsCloudEventsAndLeaveTheOutboxEmpty() throws Exception {
        Map<String, Object> body = Map.of("ciClass", "server", "name", "event-source-01", "criticality", 1,
                "attributes", Map.of("cpu", 4));
        var created = given().contentType(ContentType.JSON).body(body).when().post("/api/cmdb/cis").then().statusCode(201).extract();
        String id = created.path("id");
        String number = created.path("number");
        given().header("If-Match", "\"0\"").when().post("/api/cmdb/cis/" + id + "/retire").then().statusCode(200);

        List<CmdbTopic.Event> events = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> CmdbTopic.eventsOf(id), e -> e.size() >= 2);
        assertThat(events).hasSize(2);

        CmdbTopic.Event createdEvent = events.get(0);
        assertThat(createdEvent.key()).isEqualTo(id);
        assertThat(createdEvent.header("ce_specversion")).isEqualTo("1.0");
        assertThat(createdEvent.header("ce_type")).isEqualTo("itsm.ci.created");
        assertThat(createdEvent.header("ce_subject")).isEqualTo(id);
        assertThat(createdEvent.header("ce_source")).isEqualTo("/itsm/cmdb-service");
        assertThat(createdEvent.header("ce_dataschema")).isEqualTo(Aggregate.CI.dataschema().toString());
        assertThat(createdEvent.header("ce_id")).isNotBlank();
        assertThat(createdEvent.header("ce_time")).isNotBlank();
        assertThat(createdEvent.header("content-type")).isEqualTo("application/json");
        JsonNode createdData = json.readTree(createdEvent.data());
        assertThat(createdData.path("ci").path("id").asText()).isEqualTo(id);
        assertThat(createdData.path("ci").path("number").asText()).isEqualTo(number);
        assertThat(createdData.path("ci").path("status").asText()).isEqualTo("INSTALLED");
        assertThat(createdData.path("ci").path("version").asLong()).isZero();
        assertThat(createdData.path("ci").path("attributes").path("cpu").asInt()).isEqualTo(4);
        assertThat(createdData.path("ci").has("outbox")).isFalse();
        assertThat(createdData.path("changes").isArray()).isTrue();
        assertThat(createdData.path("changes")).isEmpty();

        CmdbTopic.Event retiredEvent = events.get(1);
        assertThat(retiredEvent.header("ce_type")).isEqualTo("itsm.ci.retired");
        assertThat(retiredEvent.header("ce_subject")).isEqualTo(id);
        assertThat(retiredEvent.header("ce_source")).isEqualTo("/itsm/cmdb-service");
        JsonNode retiredData = json.readTree(retiredEvent.data());
        assertThat(retiredData.path("ci").path("number").asText()).isEqualTo(number);
        assertThat(retiredData.path("ci").path("status").asText()).isEqualTo("RETIRED");
        assertThat(retiredData.path("ci").path("version").asLong()).isEqualTo(1);
        assertThat(retiredData.path("changes")).hasSize(1);
        assertThat(json.treeToValue(retiredData.path("changes").get(0), Map.class))
                .isEqualTo(Map.of("field", "status", "from", "INSTALLED", "to", "RETIRED"));

        // Both match the published contract (events module: schemas/ci-event.v1.json, formats asserted).
        assertThat(ciSchema().validate(createdData)).isEmpty();
        assertThat(ciSchema().validate(retiredData)).isEmpty();

        // The event carries exactly what the API returns.
        JsonNode api = json.readTree(given().when().get("/api/cmdb/cis/" + id).then().statusCode(200).extract().asString());
        assertThat(retiredData.path("ci")).isEqualTo(api);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Document stored = mongo.getDatabase(database).getCollection("ci").find(Filters.eq("_id", id)).first();
            assertThat(stored.getList("outbox", Document.class)).isEmpty();
            assertThat(stored.getString("status")).isEqualTo("RETIRED");
        });
    }

    private JsonSchema ciSchema() throws Exception {
        try (var in = Aggregate.class.getClassLoader().getResourceAsStream(Aggregate.CI.schemaResource())) {
            assertThat(in).as(Aggregate.CI.schemaResource()).isNotNull();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(json.readTree(in),
                    SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        }
    }
}
