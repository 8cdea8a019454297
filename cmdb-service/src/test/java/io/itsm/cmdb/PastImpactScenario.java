package io.itsm.cmdb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;

/**
 * Relationships made, deleted and made again with the same ends, and the impact analysis as of an instant between each
 * step: what the walk must answer whichever way it reads the past (the projection with the changes since undone, the
 * edges that existed then, or the stored edges level by level).
 */
final class PastImpactScenario {

    private PastImpactScenario() {
    }

    private static String ci(String ciClass) {
        return CiResourceTest.create(Map.of("ciClass", ciClass, "name", ciClass + "-" + UUID.randomUUID())).then().statusCode(201)
                .extract().path("id");
    }

    private static String dependsOn(String source, String target) {
        return given().contentType(ContentType.JSON).body(Map.of("sourceId", source, "type", "DEPENDS_ON", "targetId", target))
                .post("/api/cmdb/relationships").then().statusCode(201).extract().path("id");
    }

    private static void delete(String edge) {
        given().header("If-Match", "\"0\"").delete("/api/cmdb/relationships/" + edge).then().statusCode(204);
    }

    private static List<String> downstream(String id, Instant asOf) {
        return given().get("/api/cmdb/cis/" + id + "/impact?asOf=" + asOf).then().statusCode(200).extract().path("affected.ci.id");
    }

    /** A moment later than every write so far, and earlier than every write after. */
    private static Instant instant() {
        Instant before = Instant.now();
        await().pollInterval(Duration.ofMillis(1)).until(() -> Instant.now().isAfter(before.plusMillis(2)));
        Instant at = Instant.now();
        await().pollInterval(Duration.ofMillis(1)).until(() -> Instant.now().isAfter(at.plusMillis(2)));
        return at;
    }

    static void run() {
        String db = ci("database");
        List<String> apps = List.of(ci("application"), ci("application"), ci("application"), ci("application"), ci("application"),
                ci("application"), ci("application"));
        String first = dependsOn(apps.get(0), db);
        Instant t1 = instant();
        delete(first);
        Instant t2 = instant();
        dependsOn(apps.get(0), db); // the same ends again: another edge
        String second = dependsOn(apps.get(1), db);
        Instant t3 = instant();
        delete(second);
        Instant t4 = instant();
        dependsOn(apps.get(2), db);
        dependsOn(apps.get(3), db);
        Instant t5 = instant();
        for (String app : apps.subList(4, 7)) {
            dependsOn(app, db);
        }
        Instant t6 = instant();

        assertThat(downstream(db, t1)).containsExactly(apps.get(0));
        assertThat(downstream(db, t2)).isEmpty();
        assertThat(downstream(db, t3)).containsExactly(apps.get(0), apps.get(1));
        assertThat(downstream(db, t4)).containsExactly(apps.get(0));
        assertThat(downstream(db, t5)).containsExactly(apps.get(0), apps.get(2), apps.get(3));
        assertThat(downstream(db, t6)).containsExactly(apps.get(0), apps.get(2), apps.get(3), apps.get(4), apps.get(5), apps.get(6));
        assertThat(downstream(apps.get(0), t3)).isEmpty(); // what breaks when the database fails, not the other way
        given().get("/api/cmdb/cis/" + apps.get(0) + "/impact?direction=upstream&asOf=" + t1).then().statusCode(200)
                .body("affected.ci.id", equalTo(List.of(db))).body("affected[0].path", equalTo(List.of(apps.get(0), db)));
        given().get("/api/cmdb/cis/" + apps.get(1) + "/impact?direction=upstream&asOf=" + t1).then().body("affected", hasSize(0));
        given().get("/api/cmdb/cis/" + apps.get(1) + "/impact?direction=upstream&asOf=" + t3).then().body("affected.ci.id", equalTo(List.of(db)));
    }
}
