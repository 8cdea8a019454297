package io.itsm.change;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The CMDB attribute maintenanceWindow, and which change windows fit into it. */
class MaintenanceWindowTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static MaintenanceWindow parse(String json) throws Exception {
        return MaintenanceWindow.fromAttribute(JSON.readTree(json)).orElseThrow();
    }

    @Test
    void itIsReadFromTheCmdbAttribute() throws Exception {
        assertThat(parse("{\"days\":[\"SAT\",\"sunday\"],\"start\":\"22:00\",\"end\":\"04:00\",\"zone\":\"Europe/Berlin\"}"))
                .isEqualTo(new MaintenanceWindow(EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), LocalTime.of(22, 0), LocalTime.of(4, 0),
                        ZoneId.of("Europe/Berlin")));
        assertThat(parse("{\"days\":[\"MON\"],\"start\":\"01:00\",\"end\":\"03:00\"}").zone()).isEqualTo(ZoneId.of("UTC"));
        for (String invalid : new String[]{"\"weekends\"", "{}", "{\"days\":[]}", "{\"days\":[\"FUNDAY\"],\"start\":\"01:00\",\"end\":\"02:00\"}",
                "{\"days\":[\"MON\"],\"start\":\"late\",\"end\":\"02:00\"}", "{\"days\":[\"MON\"],\"start\":\"01:00\",\"end\":\"02:00\",\"zone\":\"Mars/Base\"}"}) {
            assertThat(MaintenanceWindow.fromAttribute(JSON.readTree(invalid))).as(invalid).isEmpty();
        }
        assertThat(MaintenanceWindow.fromAttribute(null)).isEmpty();
    }

    @Test
    void aChangeMustFitIntoOneOccurrence() throws Exception {
        MaintenanceWindow saturdayNight = parse("{\"days\":[\"SAT\"],\"start\":\"22:00\",\"end\":\"04:00\",\"zone\":\"UTC\"}");
        // Saturday 2026-12-05
        assertThat(saturdayNight.contains(Instant.parse("2026-12-05T22:00:00Z"), Instant.parse("2026-12-06T04:00:00Z"))).isTrue();
        assertThat(saturdayNight.contains(Instant.parse("2026-12-06T01:00:00Z"), Instant.parse("2026-12-06T02:00:00Z")))
                .as("after midnight, still Saturday's occurrence").isTrue();
        assertThat(saturdayNight.contains(Instant.parse("2026-12-05T21:30:00Z"), Instant.parse("2026-12-05T23:00:00Z"))).isFalse();
        assertThat(saturdayNight.contains(Instant.parse("2026-12-06T03:00:00Z"), Instant.parse("2026-12-06T05:00:00Z"))).isFalse();
        assertThat(saturdayNight.contains(Instant.parse("2026-12-06T22:00:00Z"), Instant.parse("2026-12-06T23:00:00Z"))).as("Sunday").isFalse();
        assertThat(saturdayNight.toString()).isEqualTo("SAT 22:00-04:00 UTC");
    }
}
