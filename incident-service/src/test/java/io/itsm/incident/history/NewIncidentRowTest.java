package io.itsm.incident.history;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.itsm.incident.IncidentTestResourcesHolder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

/**
 * A new incident is written in SQL ({@link NewIncidentRow}), read and updated through Hibernate's mapping of the same
 * table: these keep the two in step.
 */
@QuarkusTest
@TestSecurity(user = "sam.agent", roles = "itsm-agent")
class NewIncidentRowTest extends IncidentTestResourcesHolder {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    @Test
    void everyColumnOfTheIncidentTableButTheNumberIsWritten() throws SQLException {
        List<String> columns = strings("select column_name from information_schema.columns where table_name = 'incident'");
        List<String> expected = new ArrayList<>(NewIncidentRow.INCIDENT.columns());
        expected.add("number");
        assertThat(columns).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void anIncidentWithEveryFieldReadsBackThroughHibernateAsItWasOpened() throws Exception {
        UUID ci1 = knownCi();
        UUID ci2 = knownCi();
        String parent = given().contentType(ContentType.JSON).body("{\"shortDescription\":\"Parent\",\"impact\":1,\"urgency\":1}")
                .post("/api/incidents").then().statusCode(201).extract().path("id");
        String body = """
                {"shortDescription":"Mail queue stuck","description":"Outbound mail waits in the queue","caller":"jane.doe",
                 "category":"software","subcategory":"email","impact":1,"urgency":2,"assignmentGroup":"messaging",
                 "assignee":"sam.agent","majorIncident":true,"parentIncidentId":"%s","configurationItemIds":["%s","%s"]}"""
                .formatted(parent, ci1, ci2);

        String opened = given().contentType(ContentType.JSON).body(body).post("/api/incidents")
                .then().statusCode(201).extract().asString();
        JsonNode created = JSON.readTree(opened);
        String read = given().get("/api/incidents/" + created.path("id").asText()).then().statusCode(200).extract().asString();

        assertThat(created.path("number").asText()).matches("INC\\d{7}");
        assertThat(created.path("state").asText()).isEqualTo("IN_PROGRESS"); // assigned from the start
        assertThat(created.path("configurationItemIds")).hasSize(2);
        assertThat(comparable(JSON.readTree(read))).isEqualTo(comparable(created));
        assertThat(strings("select event_type from incident_history where incident_id = '" + created.path("id").asText() + "'"))
                .containsExactly("itsm.incident.created");
    }

    /**
     * The incident without what legitimately differs between two reads: the resolution clock's elapsed time (computed
     * when the incident is shown) and the order of the CIs (a set).
     */
    private static JsonNode comparable(JsonNode incident) {
        ((ObjectNode) incident.path("sla")).remove("elapsed");
        List<String> cis = new ArrayList<>();
        incident.path("configurationItemIds").forEach(ci -> cis.add(ci.asText()));
        cis.sort(null);
        ((ObjectNode) incident).set("configurationItemIds", JSON.valueToTree(cis));
        return incident;
    }

    private UUID knownCi() throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into ci_read_model (id, number, name, ci_class, status, version, updated_at) values (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, id);
            ps.setString(2, "CI" + (1_000_000 + (int) (Math.random() * 8_999_999)));
            ps.setString(3, "mail-" + id);
            ps.setString(4, "linux_server");
            ps.setString(5, "INSTALLED");
            ps.setLong(6, 0);
            ps.setObject(7, Instant.now().atOffset(ZoneOffset.UTC));
            ps.executeUpdate();
        }
        return id;
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
