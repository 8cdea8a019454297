package io.itsm.cmdb.repository;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

/**
 * A CI's past versions are found by their key ({@code <ciId>:<version>}, a unique index that the MongoDB-wire store uses,
 * where it would search every CI's history by {@code ciId}); revisions stored before the key existed get it at start.
 */
@QuarkusTest
@TestSecurity(user = "sam.agent", roles = "itsm-agent")
class CiHistoryKeysTest {

    @Inject
    CiHistoryRepository history;

    @Inject
    CmdbDatabase db;

    @Test
    void aRevisionStoredBeforeKeysExistedIsKeyedAtStartAndFound() {
        String id = given().contentType(ContentType.JSON).body(Map.of("ciClass", "application", "name", "keyed-" + UUID.randomUUID()))
                .post("/api/cmdb/cis").then().statusCode(201).extract().path("id");
        given().contentType("application/merge-patch+json").header("If-Match", "\"0\"").body(Map.of("owner", "ops"))
                .patch("/api/cmdb/cis/" + id).then().statusCode(200);
        given().contentType("application/merge-patch+json").header("If-Match", "\"1\"").body(Map.of("owner", "web"))
                .patch("/api/cmdb/cis/" + id).then().statusCode(200);
        // projected out of the CI's document, with their keys
        await().atMost(Duration.ofSeconds(20)).until(() -> db.collection(CiHistoryRepository.COLLECTION)
                .countDocuments(Filters.and(Filters.eq("ciId", id), Filters.exists(CiHistoryRepository.KEY))) == 2);
        given().get("/api/cmdb/cis/" + id + "/history").then().body("version", equalTo(List.of(0, 1, 2)));

        // as a revision written before the key existed
        db.collection(CiHistoryRepository.COLLECTION).updateOne(Filters.eq("ciId", id), Updates.unset(CiHistoryRepository.KEY));
        history.prepare();

        given().get("/api/cmdb/cis/" + id + "/history").then().body("version", equalTo(List.of(0, 1, 2)))
                .body("[1].changes[0].to", equalTo("ops")).body("[2].changes[0].to", equalTo("web"));
        given().get("/api/cmdb/cis/" + id + "?asOf=" + history.revisions(id).get(0).validTo().minusMillis(1)).then().body("version", equalTo(0));
        await().until(() -> db.collection(CiHistoryRepository.COLLECTION).countDocuments(Filters.and(Filters.eq("ciId", id),
                Filters.exists(CiHistoryRepository.KEY))) == 2);
    }
}
