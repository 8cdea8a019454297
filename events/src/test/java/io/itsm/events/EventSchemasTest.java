package io.itsm.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion.VersionFlag;
import com.networknt.schema.ValidationMessage;

/**
 * The published event contract: the JSON Schemas of the event data (one per {@link Aggregate}) accept what the
 * services publish and reject what consumers must never see, and the AsyncAPI document describes every topic and
 * every event type of the catalogue, with payload schemas that are exact copies of the schema files.
 */
class EventSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String ASYNCAPI = "asyncapi/asyncapi.yaml";
    private static final String DEAD_LETTER_MESSAGE = "dead-letter";

    /** Format assertions on, so that a consumer validating with this configuration also checks uuid and date-time. */
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .locale(Locale.ENGLISH)
            .pathType(PathType.JSON_PATH)
            .build();
    private static final JsonSchemaFactory DRAFT_2020_12 = JsonSchemaFactory.getInstance(VersionFlag.V202012);
    private static final JsonSchemaFactory DRAFT_07 = JsonSchemaFactory.getInstance(VersionFlag.V7);

    /**
     * The keywords the schema files may use: those that mean the same in draft 2020-12 and in draft-07 (the base of
     * the AsyncAPI schema format), so that the AsyncAPI document can carry the schemas verbatim.
     */
    private static final Set<String> PORTABLE_KEYWORDS = Set.of("$schema", "$id", "title", "description", "type",
            "format", "enum", "const", "pattern", "minLength", "maxLength", "minimum", "maximum", "items", "properties",
            "required", "additionalProperties", "examples");

    private static final Map<Aggregate, List<String>> REQUIRED = new EnumMap<>(Map.of(
            Aggregate.INCIDENT, List.of("id", "number", "shortDescription", "impact", "urgency", "priority", "state",
                    "openedAt", "updatedAt", "version"),
            Aggregate.CHANGE, List.of("id", "number", "type", "shortDescription", "state", "createdAt", "updatedAt",
                    "version"),
            Aggregate.CI, List.of("id", "number", "ciClass", "name", "status", "version", "createdAt", "updatedAt"),
            Aggregate.RELATIONSHIP, List.of("id", "type", "sourceId", "targetId", "createdAt"),
            Aggregate.RECONCILE, List.of("id", "completedAt", "counts")));

    // ------------------------------------------------------------------------------------------------ samples

    private static final String INCIDENT_FULL = """
            {
              "incident": {
                "id": "0b7e3c52-1d8e-4f3a-9a51-6f2d8c1e4b10",
                "number": "INC0010001",
                "shortDescription": "Checkout page returns HTTP 502",
                "description": "Customers see a 502 error when paying.",
                "caller": "jdoe",
                "category": "software",
                "subcategory": "web",
                "impact": 1,
                "urgency": 2,
                "priority": 2,
                "state": "ON_HOLD",
                "onHoldReason": "AWAITING_CHANGE",
                "assignmentGroup": "web-ops",
                "assignee": "asmith",
                "reassignmentCount": 1,
                "reopenCount": 0,
                "configurationItemIds": ["9d2e4f60-3a1b-4c7d-8e9f-0a1b2c3d4e5f"],
                "majorIncident": false,
                "parentIncidentId": "6a1f0c3e-2b4d-4e5f-8a9b-0c1d2e3f4a5b",
                "resolutionCode": null,
                "resolutionNotes": null,
                "openedAt": "2026-03-01T09:30:00Z",
                "respondedAt": "2026-03-01T09:38:12.345Z",
                "resolvedAt": null,
                "closedAt": null,
                "updatedAt": "2026-03-01T10:02:00Z",
                "version": 4,
                "sla": {
                  "responseDueAt": "2026-03-01T09:45:00Z",
                  "resolutionDueAt": "2026-03-01T17:30:00Z",
                  "pausedMinutes": 12,
                  "responseBreached": false,
                  "resolutionBreached": false
                },
                "probableCauseChanges": [
                  {"changeId": "5f1c9e2a-7b3d-4c8e-a6f0-2d9b8e7c1a34", "changeNumber": "CHG0010001", "score": 0.92}
                ]
              },
              "changes": [
                {"field": "state", "from": "IN_PROGRESS", "to": "ON_HOLD"},
                {"field": "onHoldReason", "from": null, "to": "AWAITING_CHANGE"}
              ]
            }
            """;

    private static final String CHANGE_FULL = """
            {
              "change": {
                "id": "5f1c9e2a-7b3d-4c8e-a6f0-2d9b8e7c1a34",
                "number": "CHG0010001",
                "type": "NORMAL",
                "templateId": null,
                "shortDescription": "Upgrade payment gateway to 4.2",
                "description": "Rolling upgrade of the gateway nodes.",
                "justification": "Security fixes.",
                "implementationPlan": "Drain, upgrade and re-enable one node at a time.",
                "backoutPlan": "Reinstall 4.1 from the image.",
                "testPlan": "Synthetic checkout transaction.",
                "configurationItemIds": ["9d2e4f60-3a1b-4c7d-8e9f-0a1b2c3d4e5f"],
                "plannedStart": "2026-03-01T02:00:00Z",
                "plannedEnd": "2026-03-01T04:00:00Z",
                "actualStart": "2026-03-01T02:05:00Z",
                "actualEnd": "2026-03-01T03:10:00Z",
                "state": "REVIEW",
                "risk": "MODERATE",
                "riskScore": 42,
                "riskFactors": [
                  {"name": "ciCriticality", "weight": 20, "evidence": "payment-gateway has criticality 1"},
                  {"name": "failedChangesOnCi", "weight": 12.5, "evidence": {"failed": 1, "days": 90}}
                ],
                "approvals": [
                  {"approver": "cab", "decision": "APPROVED", "comment": null, "decidedAt": "2026-02-27T15:00:00Z"}
                ],
                "conflicts": [
                  {"changeId": "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f", "changeNumber": "CHG0010007",
                   "configurationItemId": "9d2e4f60-3a1b-4c7d-8e9f-0a1b2c3d4e5f", "reason": "same CI, overlapping window"}
                ],
                "closeCode": "SUCCESSFUL_WITH_ISSUES",
                "closeNotes": "One node needed a second restart.",
                "reviewNotes": "Add a readiness check to the plan.",
                "requestedBy": "mlee",
                "assignmentGroup": "web-ops",
                "assignee": "asmith",
                "createdAt": "2026-02-25T10:00:00Z",
                "updatedAt": "2026-03-01T03:10:00Z",
                "version": 9
              },
              "changes": [],
              "incidentId": "0b7e3c52-1d8e-4f3a-9a51-6f2d8c1e4b10",
              "candidates": [
                {"changeId": "5f1c9e2a-7b3d-4c8e-a6f0-2d9b8e7c1a34", "changeNumber": "CHG0010001", "distance": 0,
                 "implementedAt": "2026-03-01T03:10:00Z", "score": 0.92},
                {"changeId": "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f", "changeNumber": "CHG0010007", "distance": 2,
                 "implementedAt": null, "score": 0.3}
              ]
            }
            """;

    private static final String CI_FULL = """
            {
              "ci": {
                "id": "9d2e4f60-3a1b-4c7d-8e9f-0a1b2c3d4e5f",
                "number": "CI0010001",
                "ciClass": "application",
                "name": "payment-gateway",
                "status": "IN_MAINTENANCE",
                "environment": "PRODUCTION",
                "criticality": 1,
                "owner": "payments-team",
                "supportGroup": "web-ops",
                "attributes": {"version": "4.2", "ports": [443, 8443]},
                "underChange": {"changeId": "5f1c9e2a-7b3d-4c8e-a6f0-2d9b8e7c1a34", "changeNumber": "CHG0010001"},
                "createdAt": "2026-01-10T08:00:00Z",
                "updatedAt": "2026-03-01T02:05:00Z",
                "version": 7
              },
              "changes": [
                {"field": "underChange", "from": null, "to": {"changeId": "5f1c9e2a-7b3d-4c8e-a6f0-2d9b8e7c1a34"}},
                {"field": "attributes.version", "from": "4.1", "to": "4.2"}
              ]
            }
            """;

    private static final String RELATIONSHIP_FULL = """
            {
              "relationship": {
                "id": "7c6b5a49-3827-4615-b0a9-f8e7d6c5b4a3",
                "type": "RUNS_ON",
                "inverseType": "RUNS",
                "sourceId": "9d2e4f60-3a1b-4c7d-8e9f-0a1b2c3d4e5f",
                "targetId": "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d",
                "createdAt": "2026-01-10T08:05:00Z",
                "version": 0
              },
              "changes": []
            }
            """;

    private static final String RECONCILE_FULL = """
            {
              "reconcile": {
                "id": "2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b",
                "source": "nightly-discovery",
                "startedAt": "2026-03-01T01:00:00Z",
                "completedAt": "2026-03-01T01:04:31Z",
                "counts": {"created": 3, "updated": 12, "unchanged": 240, "ambiguous": 1, "invalid": 2}
              },
              "changes": []
            }
            """;

    private static final Map<Aggregate, String> FULL = new EnumMap<>(Map.of(
            Aggregate.INCIDENT, INCIDENT_FULL,
            Aggregate.CHANGE, CHANGE_FULL,
            Aggregate.CI, CI_FULL,
            Aggregate.RELATIONSHIP, RELATIONSHIP_FULL,
            Aggregate.RECONCILE, RECONCILE_FULL));

    private static ObjectNode fullSample(Aggregate aggregate) {
        try {
            return (ObjectNode) JSON.readTree(FULL.get(aggregate));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The full sample cut down to the required properties of the aggregate. */
    private static ObjectNode minimalSample(Aggregate aggregate) {
        ObjectNode data = fullSample(aggregate);
        ObjectNode state = (ObjectNode) data.get(aggregate.typeName());
        state.retain(REQUIRED.get(aggregate));
        data.retain(aggregate.typeName(), "changes");
        data.set("changes", NODES.arrayNode());
        return data;
    }

    // ------------------------------------------------------------------------------------------------ schema files

    @ParameterizedTest
    @EnumSource(Aggregate.class)
    void schemaResourceIsAValidDraft202012SchemaIdentifiedByTheDataschema(Aggregate aggregate) {
        JsonNode schema = schemaNode(aggregate);

        assertThat(schema.path("$schema").asText()).isEqualTo(SchemaId.V202012);
        assertThat(schema.path("$id").asText()).isEqualTo(aggregate.dataschema().toString());
        JsonSchema metaSchema = DRAFT_2020_12.getSchema(SchemaLocation.of(SchemaId.V202012), CONFIG);
        assertThat(metaSchema.validate(schema)).isEmpty();
        assertThat(validator(aggregate).getSchemaLocation().toString()).startsWith(aggregate.dataschema().toString());
    }

    @ParameterizedTest
    @EnumSource(Aggregate.class)
    void schemaDescribesTheEnvelopeAndPinsTheRequiredProperties(Aggregate aggregate) {
        JsonNode schema = schemaNode(aggregate);

        assertThat(texts(schema.path("required"))).containsExactlyInAnyOrder(aggregate.typeName(), "changes");
        JsonNode state = schema.path("properties").path(aggregate.typeName());
        assertThat(state.path("type").asText()).isEqualTo("object");
        assertThat(texts(state.path("required"))).containsExactlyInAnyOrderElementsOf(REQUIRED.get(aggregate));
        assertThat(state.path("additionalProperties").asBoolean(false))
                .as("the aggregate object stays open so that the schema can grow").isTrue();
        assertThat(schema.path("properties").path("changes").path("type").asText()).isEqualTo("array");
    }

    @ParameterizedTest
    @EnumSource(Aggregate.class)
    void everyPropertyHasATitleAndADescription(Aggregate aggregate) {
        List<String> undocumented = new ArrayList<>();
        collectUndocumented(schemaNode(aggregate), "$", undocumented);
        assertThat(undocumented).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Aggregate.class)
    void schemaUsesOnlyKeywordsThatMeanTheSameInDraft07(Aggregate aggregate) {
        Set<String> used = new TreeSet<>();
        collectKeywords(schemaNode(aggregate), used);
        assertThat(used).isSubsetOf(PORTABLE_KEYWORDS);
    }

    // ------------------------------------------------------------------------------------------------ valid data

    @ParameterizedTest
    @EnumSource(Aggregate.class)
    void fullSampleIsValid(Aggregate aggregate) {
        assertThat(validate(aggregate, fullSample(aggregate))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Aggregate.class)
    void sampleWithOnlyTheRequiredPropertiesIsValid(Aggregate aggregate) {
        assertThat(validate(aggregate, minimalSample(aggregate))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Aggregate.class)
    void unknownPropertiesAreAllowedSoThatTheSchemaCanGrow(Aggregate aggregate) {
        ObjectNode data = fullSample(aggregate);
        data.put("addedLater", true);
        ((ObjectNode) data.get(aggregate.typeName())).putObject("newField").put("nested", 1);

        assertThat(validate(aggregate, data)).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ invalid data

    static Stream<Arguments> missingRequiredProperties() {
        Stream<Arguments> envelope = Arrays.stream(Aggregate.values()).flatMap(a -> Stream.of(
                Arguments.of(a, a.typeName()),
                Arguments.of(a, "changes")));
        Stream<Arguments> state = REQUIRED.entrySet().stream().flatMap(e -> e.getValue().stream()
                .map(field -> Arguments.of(e.getKey(), e.getKey().typeName() + "." + field)));
        Stream<Arguments> nested = Stream.of("created", "updated", "unchanged", "ambiguous", "invalid")
                .map(count -> Arguments.of(Aggregate.RECONCILE, "reconcile.counts." + count));
        Stream<Arguments> items = Stream.of(
                Arguments.of(Aggregate.INCIDENT, "changes.0.field"),
                Arguments.of(Aggregate.CHANGE, "candidates.0.changeId"));
        return Stream.of(envelope, state, nested, items).flatMap(s -> s);
    }

    @ParameterizedTest(name = "{0} without {1}")
    @MethodSource("missingRequiredProperties")
    void missingRequiredPropertyIsRejectedNamingIt(Aggregate aggregate, String path) {
        ObjectNode data = fullSample(aggregate);
        remove(data, path);
        String property = lastSegment(path);

        assertThat(validate(aggregate, data)).anySatisfy(error -> {
            assertThat(error.getType()).isEqualTo("required");
            assertThat(error.getProperty()).isEqualTo(property);
            assertThat(error.getInstanceLocation().toString()).isEqualTo(parentLocation(path));
            assertThat(error.getMessage()).contains("'" + property + "'");
        });
    }

    static Stream<Arguments> badEnumValues() {
        return Stream.of(
                Arguments.of(Aggregate.INCIDENT, "incident.state", "OPEN"),
                Arguments.of(Aggregate.INCIDENT, "incident.state", "new"),
                Arguments.of(Aggregate.INCIDENT, "incident.onHoldReason", "AWAITING_GODOT"),
                Arguments.of(Aggregate.INCIDENT, "incident.resolutionCode", "FIXED"),
                Arguments.of(Aggregate.CHANGE, "change.type", "MINOR"),
                Arguments.of(Aggregate.CHANGE, "change.state", "DRAFT"),
                Arguments.of(Aggregate.CHANGE, "change.risk", "EXTREME"),
                Arguments.of(Aggregate.CHANGE, "change.closeCode", "FAILED"),
                Arguments.of(Aggregate.CI, "ci.status", "ACTIVE"),
                Arguments.of(Aggregate.CI, "ci.environment", "PROD"),
                Arguments.of(Aggregate.RELATIONSHIP, "relationship.type", "USES"));
    }

    @ParameterizedTest(name = "{0}: {1} = {2}")
    @MethodSource("badEnumValues")
    void badEnumValueIsRejectedNamingTheProperty(Aggregate aggregate, String path, String value) {
        assertRejected(aggregate, with(fullSample(aggregate), path, TextNode.valueOf(value)), path, "enum");
    }

    static Stream<Arguments> badNumbers() {
        return Stream.of(
                Arguments.of(Aggregate.INCIDENT, "incident.number", "INC001"),
                Arguments.of(Aggregate.INCIDENT, "incident.number", "INC00100011"),
                Arguments.of(Aggregate.INCIDENT, "incident.number", "inc0010001"),
                Arguments.of(Aggregate.INCIDENT, "incident.number", "CHG0010001"),
                Arguments.of(Aggregate.CHANGE, "change.number", "CHG-0010001"),
                Arguments.of(Aggregate.CHANGE, "change.number", "INC0010001"),
                Arguments.of(Aggregate.CI, "ci.number", "CI001000"),
                Arguments.of(Aggregate.CI, "ci.number", "CI00100011"),
                Arguments.of(Aggregate.CI, "ci.number", " CI0010001"));
    }

    @ParameterizedTest(name = "{0}: {1} = \"{2}\"")
    @MethodSource("badNumbers")
    void numberNotMatchingItsPatternIsRejectedNamingTheProperty(Aggregate aggregate, String path, String value) {
        assertRejected(aggregate, with(fullSample(aggregate), path, TextNode.valueOf(value)), path, "pattern");
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of(Aggregate.INCIDENT, "incident.impact", TextNode.valueOf("1")),
                Arguments.of(Aggregate.INCIDENT, "incident.version", NODES.numberNode(1.5)),
                Arguments.of(Aggregate.INCIDENT, "incident.majorIncident", TextNode.valueOf("yes")),
                Arguments.of(Aggregate.INCIDENT, "incident.configurationItemIds", TextNode.valueOf("9d2e4f60")),
                Arguments.of(Aggregate.INCIDENT, "incident.shortDescription", NODES.nullNode()),
                Arguments.of(Aggregate.INCIDENT, "incident", NODES.arrayNode()),
                Arguments.of(Aggregate.INCIDENT, "changes", NODES.objectNode()),
                Arguments.of(Aggregate.INCIDENT, "changes.0.field", NODES.numberNode(7)),
                Arguments.of(Aggregate.CHANGE, "change.riskScore", TextNode.valueOf("high")),
                Arguments.of(Aggregate.CHANGE, "change.approvals", NODES.objectNode()),
                Arguments.of(Aggregate.CHANGE, "candidates.0.distance", TextNode.valueOf("near")),
                Arguments.of(Aggregate.CI, "ci.criticality", TextNode.valueOf("1")),
                Arguments.of(Aggregate.CI, "ci.attributes", TextNode.valueOf("version=4.2")),
                Arguments.of(Aggregate.CI, "ci.name", NODES.numberNode(42)),
                Arguments.of(Aggregate.RELATIONSHIP, "relationship.sourceId", NODES.numberNode(42)),
                Arguments.of(Aggregate.RELATIONSHIP, "relationship.version", TextNode.valueOf("0")),
                Arguments.of(Aggregate.RECONCILE, "reconcile.counts", NODES.arrayNode()),
                Arguments.of(Aggregate.RECONCILE, "reconcile.counts.created", TextNode.valueOf("3")));
    }

    @ParameterizedTest(name = "{0}: {1} = {2}")
    @MethodSource("wrongTypes")
    void valueOfTheWrongTypeIsRejectedNamingTheProperty(Aggregate aggregate, String path, JsonNode value) {
        assertRejected(aggregate, with(fullSample(aggregate), path, value), path, "type");
    }

    static Stream<Arguments> outOfRangeOrMalformedValues() {
        return Stream.of(
                Arguments.of(Aggregate.INCIDENT, "incident.impact", NODES.numberNode(4), "maximum"),
                Arguments.of(Aggregate.INCIDENT, "incident.urgency", NODES.numberNode(0), "minimum"),
                Arguments.of(Aggregate.INCIDENT, "incident.priority", NODES.numberNode(6), "maximum"),
                Arguments.of(Aggregate.INCIDENT, "incident.version", NODES.numberNode(-1), "minimum"),
                Arguments.of(Aggregate.INCIDENT, "incident.shortDescription", TextNode.valueOf("x".repeat(161)),
                        "maxLength"),
                Arguments.of(Aggregate.INCIDENT, "incident.id", TextNode.valueOf("INC0010001"), "format"),
                Arguments.of(Aggregate.INCIDENT, "incident.openedAt", TextNode.valueOf("yesterday"), "format"),
                Arguments.of(Aggregate.INCIDENT, "incident.configurationItemIds.0", TextNode.valueOf("db-01"),
                        "format"),
                Arguments.of(Aggregate.CHANGE, "change.plannedStart", TextNode.valueOf("2026-03-01"), "format"),
                Arguments.of(Aggregate.CI, "ci.criticality", NODES.numberNode(5), "maximum"),
                Arguments.of(Aggregate.RELATIONSHIP, "relationship.targetId", TextNode.valueOf("CI0010002"),
                        "format"),
                Arguments.of(Aggregate.RECONCILE, "reconcile.counts.invalid", NODES.numberNode(-2), "minimum"));
    }

    @ParameterizedTest(name = "{0}: {1} = {2} ({3})")
    @MethodSource("outOfRangeOrMalformedValues")
    void outOfRangeOrMalformedValueIsRejectedNamingTheProperty(Aggregate aggregate, String path, JsonNode value,
                                                               String keyword) {
        assertRejected(aggregate, with(fullSample(aggregate), path, value), path, keyword);
    }

    // ------------------------------------------------------------------------------------------------ AsyncAPI

    @Test
    void asyncApiDocumentParsesAsAsyncApi3WithTheLocalKafkaServer() {
        JsonNode doc = asyncApi();

        assertThat(doc.path("asyncapi").asText()).isEqualTo("3.0.0");
        assertThat(doc.path("info").path("title").asText()).isEqualTo("ITSM suite events");
        assertThat(doc.path("info").path("version").asText()).isNotBlank();
        assertThat(doc.path("info").path("description").asText())
                .contains("binary content mode", "ce_id", "at-least-once", ".dlq");
        JsonNode local = doc.path("servers").path("local");
        assertThat(local.path("host").asText()).isEqualTo("127.0.0.1:19092");
        assertThat(local.path("protocol").asText()).isEqualTo("kafka");
    }

    @Test
    void asyncApiDeclaresAChannelForEveryTopicAndNoOther() {
        List<String> addresses = stream(asyncApi().path("channels")).map(c -> c.path("address").asText()).toList();

        assertThat(addresses).containsExactlyInAnyOrderElementsOf(Topics.all());
    }

    @Test
    void asyncApiDeclaresAMessageForEveryEventTypeAndNoOther() {
        Set<String> eventMessages = stream(asyncApi().path("components").path("messages"))
                .map(m -> m.path("name").asText())
                .filter(name -> !name.equals(DEAD_LETTER_MESSAGE))
                .collect(Collectors.toSet());

        assertThat(eventTypes()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(eventMessages).containsExactlyInAnyOrderElementsOf(eventTypes());
    }

    @Test
    void everyEventTypeIsAMessageOfItsAggregatesTopic() {
        JsonNode doc = asyncApi();
        for (String type : eventTypes()) {
            Aggregate aggregate = Aggregate.ofEventType(type).orElseThrow(() -> new AssertionError("no aggregate: " + type));
            JsonNode channel = channelAt(doc, aggregate.topic());
            List<String> names = stream(channel.path("messages")).map(ref -> resolve(doc, ref).path("name").asText()).toList();
            assertThat(names).as("messages of %s", aggregate.topic()).contains(type);
        }
        for (String topic : Topics.EVENT_TOPICS) {
            List<String> names = stream(channelAt(doc, Topics.deadLetter(topic)).path("messages"))
                    .map(ref -> resolve(doc, ref).path("name").asText()).toList();
            assertThat(names).as("messages of %s", Topics.deadLetter(topic)).containsExactly(DEAD_LETTER_MESSAGE);
        }
    }

    @Test
    void everyEventMessageCarriesItsCloudEventsHeadersAndItsAggregatesSchema() {
        JsonNode doc = asyncApi();
        for (String type : eventTypes()) {
            Aggregate aggregate = Aggregate.ofEventType(type).orElseThrow();
            JsonNode message = messageNamed(doc, type);

            JsonNode headers = message.path("headers");
            assertThat(headers.path("properties").path("ce_type").path("const").asText()).as(type).isEqualTo(type);
            JsonNode common = resolve(doc, headers.path("allOf").path(0));
            assertThat(texts(common.path("required"))).as(type).contains("ce_specversion", "ce_id", "ce_source",
                    "ce_type", "ce_subject", "ce_time", "ce_dataschema", "content-type");
            JsonNode ce = common.path("properties");
            assertThat(ce.path("ce_specversion").path("const").asText()).isEqualTo(CloudEvent.SPEC_VERSION);
            assertThat(ce.path("ce_source").path("const").asText()).isEqualTo(aggregate.source().toString());
            assertThat(ce.path("ce_dataschema").path("const").asText()).isEqualTo(aggregate.dataschema().toString());
            assertThat(ce.path("content-type").path("const").asText()).isEqualTo(CloudEvent.DATA_CONTENT_TYPE);
            assertThat(texts(ce.path("ce_type").path("enum"))).as(type).contains(type);

            assertThat(message.path("traits").path(0).path("$ref").asText())
                    .isEqualTo("#/components/messageTraits/cloudEvent");
            assertThat(withoutIdentity(schemaNode(aggregate))).as("payload of %s", type)
                    .isEqualTo(resolve(doc, message.path("payload")));
        }
    }

    @Test
    void everyChannelIsSentToByAnOperationListingTheChannelsMessages() {
        JsonNode doc = asyncApi();
        Set<String> sentChannels = new HashSet<>();
        for (JsonNode operation : stream(doc.path("operations")).toList()) {
            assertThat(operation.path("action").asText()).isEqualTo("send");
            String channelRef = operation.path("channel").path("$ref").asText();
            sentChannels.add(resolve(doc, operation.path("channel")).path("address").asText());
            List<String> channelMessages = fieldNames(resolve(doc, operation.path("channel")).path("messages"))
                    .stream().map(id -> channelRef + "/messages/" + id).toList();
            assertThat(stream(operation.path("messages")).map(m -> m.path("$ref").asText()).toList())
                    .containsExactlyInAnyOrderElementsOf(channelMessages);
        }
        assertThat(sentChannels).containsExactlyInAnyOrderElementsOf(Topics.all());
    }

    @Test
    void messageExamplesMatchTheSchemas() {
        JsonNode doc = asyncApi();
        int examples = 0;
        for (String type : eventTypes()) {
            Aggregate aggregate = Aggregate.ofEventType(type).orElseThrow();
            JsonNode message = messageNamed(doc, type);
            JsonSchema headers = DRAFT_07.getSchema(resolve(doc, message.path("headers").path("allOf").path(0)), CONFIG);
            for (JsonNode example : stream(message.path("examples")).toList()) {
                examples++;
                assertThat(validate(aggregate, example.path("payload"))).as("payload of %s example", type).isEmpty();
                assertThat(headers.validate(example.path("headers"))).as("headers of %s example", type).isEmpty();
                assertThat(example.path("headers").path("ce_type").asText()).isEqualTo(type);
                assertThat(example.path("headers").path("ce_subject").asText())
                        .isEqualTo(example.path("payload").path(aggregate.typeName()).path("id").asText());
            }
        }
        assertThat(examples).isPositive();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static JsonNode schemaNode(Aggregate aggregate) {
        return readResource(aggregate.schemaResource(), JSON);
    }

    private static JsonSchema validator(Aggregate aggregate) {
        return DRAFT_2020_12.getSchema(schemaNode(aggregate), CONFIG);
    }

    private static Set<ValidationMessage> validate(Aggregate aggregate, JsonNode data) {
        return validator(aggregate).validate(data);
    }

    private static void assertRejected(Aggregate aggregate, JsonNode data, String path, String keyword) {
        Set<ValidationMessage> errors = validate(aggregate, data);
        String location = location(path);
        assertThat(errors).as("errors for %s", path).anySatisfy(error -> {
            assertThat(error.getType()).isEqualTo(keyword);
            assertThat(error.getInstanceLocation().toString()).isEqualTo(location);
            assertThat(error.getMessage()).contains(location);
        });
    }

    private static JsonNode asyncApi() {
        return readResource(ASYNCAPI, YAML);
    }

    private static JsonNode readResource(String resource, ObjectMapper mapper) {
        try (InputStream in = EventSchemasTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as("class-path resource %s", resource).isNotNull();
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The values of the public static final String constants of {@link EventTypes}. */
    private static Set<String> eventTypes() {
        Set<String> types = new TreeSet<>();
        for (Field field : EventTypes.class.getFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) && field.getType() == String.class) {
                try {
                    types.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return types;
    }

    private static JsonNode channelAt(JsonNode doc, String address) {
        return stream(doc.path("channels")).filter(c -> c.path("address").asText().equals(address)).findFirst()
                .orElseThrow(() -> new AssertionError("no channel with address " + address));
    }

    private static JsonNode messageNamed(JsonNode doc, String name) {
        return stream(doc.path("components").path("messages")).filter(m -> m.path("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no message named " + name));
    }

    /** Follows a local {@code $ref} (repeatedly); a node without one is returned as it is. */
    private static JsonNode resolve(JsonNode doc, JsonNode node) {
        JsonNode current = node;
        while (current.has("$ref")) {
            String ref = current.get("$ref").asText();
            assertThat(ref).as("only local references keep the document standalone").startsWith("#/");
            current = doc.at(ref.substring(1));
            assertThat(current.isMissingNode()).as("%s resolves", ref).isFalse();
        }
        return current;
    }

    private static JsonNode withoutIdentity(JsonNode schema) {
        ObjectNode copy = schema.deepCopy();
        copy.remove(List.of("$schema", "$id"));
        return copy;
    }

    private static void collectUndocumented(JsonNode schema, String location, List<String> undocumented) {
        if (!schema.isObject()) {
            return;
        }
        if (schema.path("title").asText().isBlank() || schema.path("description").asText().isBlank()) {
            undocumented.add(location);
        }
        schema.path("properties").fields()
                .forEachRemaining(e -> collectUndocumented(e.getValue(), location + "." + e.getKey(), undocumented));
        collectUndocumented(schema.path("items"), location + "[]", undocumented);
    }

    private static void collectKeywords(JsonNode schema, Set<String> keywords) {
        if (!schema.isObject()) {
            return;
        }
        schema.fieldNames().forEachRemaining(keywords::add);
        schema.path("properties").elements().forEachRemaining(property -> collectKeywords(property, keywords));
        collectKeywords(schema.path("items"), keywords);
        collectKeywords(schema.path("additionalProperties"), keywords);
    }

    private static List<String> texts(JsonNode array) {
        return stream(array).map(JsonNode::asText).toList();
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Stream<JsonNode> stream(JsonNode node) {
        Iterator<JsonNode> elements = node.elements();
        return StreamSupport.stream(((Iterable<JsonNode>) () -> elements).spliterator(), false);
    }

    // Paths are dotted, relative to the data root; numeric segments index arrays: "changes.0.field".

    private static ObjectNode with(ObjectNode data, String path, JsonNode value) {
        JsonNode parent = parent(data, path);
        String last = lastSegment(path);
        if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(last), value);
        } else {
            ((ObjectNode) parent).set(last, value);
        }
        return data;
    }

    private static void remove(ObjectNode data, String path) {
        JsonNode parent = parent(data, path);
        assertThat(parent.has(lastSegment(path))).as("sample has %s", path).isTrue();
        ((ObjectNode) parent).remove(lastSegment(path));
    }

    private static JsonNode parent(JsonNode data, String path) {
        String[] segments = path.split("\\.");
        JsonNode node = data;
        for (int i = 0; i < segments.length - 1; i++) {
            node = node.isArray() ? node.path(Integer.parseInt(segments[i])) : node.path(segments[i]);
            assertThat(node.isContainerNode()).as("sample has %s", path).isTrue();
        }
        return node;
    }

    private static String lastSegment(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    /** The validator's instance location of a dotted path: "changes.0.field" → "$.changes[0].field". */
    private static String location(String path) {
        StringBuilder location = new StringBuilder("$");
        for (String segment : path.split("\\.")) {
            location.append(segment.chars().allMatch(Character::isDigit) ? "[" + segment + "]" : "." + segment);
        }
        return location.toString();
    }

    private static String parentLocation(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "$" : location(path.substring(0, dot));
    }
}
