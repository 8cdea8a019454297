package io.itsm.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.itsm.events.CloudEvent;
import io.itsm.events.EventTypes;
import io.itsm.events.Topics;
import io.itsm.testsupport.EventSchemaAssertions;
import io.itsm.testsupport.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;

/** A whole lifecycle produces its events in order on itsm.incident.events, each valid against the schema. */
@QuarkusTest
@TestSecurity(user = "sam.agent", roles = "itsm-agent")
class IncidentLifecycleEventsTest extends IncidentTestResourcesHolder {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFullLifecyclePublishesOneEventPerTransitionInOrder() throws Exception {
        String id = IncidentTransitionsResourceTest.openIncident();
        List<IncidentState> path = List.of(IncidentState.IN_PROGRESS, IncidentState.ON_HOLD, IncidentState.IN_PROGRESS,
                IncidentState.RESOLVED, IncidentState.IN_PROGRESS, IncidentState.RESOLVED, IncidentState.CLOSED);
        for (IncidentState to : path) {
            IncidentTransitionsResourceTest.transition(id, IncidentTransitionsResourceTest.etag(id),
                    IncidentTransitionsResourceTest.bodyFor(to)).then().statusCode(200);
        }

        List<CloudEvent> events = TestKafka.events(Topics.INCIDENT_EVENTS, id::equals, 8, Duration.ofSeconds(20));
        assertThat(events).extracting(CloudEvent::type).containsExactly(
                EventTypes.INCIDENT_CREATED,
                EventTypes.INCIDENT_STATE_CHANGED, EventTypes.INCIDENT_STATE_CHANGED, EventTypes.INCIDENT_STATE_CHANGED,
                EventTypes.INCIDENT_RESOLVED, EventTypes.INCIDENT_REOPENED, EventTypes.INCIDENT_RESOLVED,
                EventTypes.INCIDENT_CLOSED);

        IncidentState from = IncidentState.NEW;
        long lastVersion = -1;
        for (int i = 0; i < events.size(); i++) {
            CloudEvent event = events.get(i);
            EventSchemaAssertions.assertMatchesSchema(event);
            JsonNode data = JSON.readTree(event.dataAsString());
            long version = data.path("incident").path("version").asLong();
            assertThat(version).as("version of event %d", i).isGreaterThan(lastVersion);
            lastVersion = version;
            if (i == 0) {
                assertThat(data.path("changes")).isEmpty();
                continue;
            }
            IncidentState to = path.get(i - 1);
            assertThat(data.path("incident").path("state").asText()).isEqualTo(to.name());
            JsonNode stateChange = data.path("changes").get(0);
            assertThat(stateChange.path("field").asText()).isEqualTo("state");
            assertThat(stateChange.path("from").asText()).isEqualTo(from.name());
            assertThat(stateChange.path("to").asText()).isEqualTo(to.name());
            from = to;
        }
        assertThat(lastVersion).isEqualTo(7);

        JsonNode reopened = JSON.readTree(events.get(5).dataAsString());
        assertThat(reopened.path("incident").path("reopenCount").asInt()).isEqualTo(1);
        assertThat(reopened.path("changes").findValuesAsText("field"))
                .contains("reopenCount", "resolutionCode", "resolutionNotes");
        JsonNode closed = JSON.readTree(events.get(7).dataAsString());
        assertThat(closed.path("incident").path("closedAt").isTextual()).isTrue();
        assertThat(closed.path("changes").findValuesAsText("field")).containsExactly("state", "closedAt");
    }
}
