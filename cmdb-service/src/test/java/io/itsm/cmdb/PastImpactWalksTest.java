package io.itsm.cmdb;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.itsm.cmdb.graph.GraphProjection;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;

/**
 * The past walks that do not undo the changes since (too many for {@code itsm.cmdb.impact.max-edges-in-memory}, here
 * 2): the edges that existed then, when few enough did, and else the stored edges level by level. On a database of its
 * own, so that the counts are the scenario's: as of its first four instants 3-8 edges changed since and at most 2 existed
 * (the edges then); as of the fifth 3 changed since and 3 existed (the stored edges); as of the last none changed since.
 */
@QuarkusTest
@TestProfile(PastImpactWalksTest.FewEdgesInMemory.class)
@TestSecurity(user = "sam.agent", roles = "itsm-agent")
class PastImpactWalksTest {

    public static class FewEdgesInMemory implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("itsm.cmdb.impact.max-edges-in-memory", "2", "quarkus.mongodb.database", "cmdb_past_walks_test");
        }
    }

    @Inject
    GraphProjection graph;

    @Test
    void everyWayOfReadingThePastGivesTheSameAnswers() {
        await().atMost(Duration.ofSeconds(20)).until(graph::ready);
        PastImpactScenario.run();
    }
}
