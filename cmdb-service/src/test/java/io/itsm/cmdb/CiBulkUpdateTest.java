package io.itsm.cmdb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.itsm.cmdb.domain.ConfigurationItem;
import io.itsm.cmdb.domain.CiEventData;
import io.itsm.cmdb.domain.CiRevision;
import io.itsm.cmdb.repository.CiHistoryRepository;
import io.itsm.cmdb.repository.CiRepository;
import io.itsm.cmdb.service.CiService;
import io.itsm.events.CloudEvent;
import io.itsm.events.EventTypes;
import io.itsm.events.FieldChange;
import io.itsm.events.Topics;
import io.itsm.events.mongodb.quarkus.DocumentOutbox;
import io.itsm.events.outbox.OutboxEntry;
import io.itsm.testsupport.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;

/**
 * The bulk write of an import's updates: each CI is written only over the version read, with its own event and revision;
 * one that changed meanwhile is left as the other writer left it, and reported so that the caller can merge again.
 */
@QuarkusTest
@TestSecurity(user = "sam.agent", roles = "itsm-agent")
class CiBulkUpdateTest {

    @Inject
    CiService cis;

    @Inject
    CiRepository repository;

    @Inject
    CiHistoryRepository history;

    @Inject
    DocumentOutbox outbox;

    private static String create(String name) {
        return CiResourceTest.create(Map.of("ciClass", "server", "name", name, "attributes", Map.of("cpu", 2))).then().statusCode(201)
                .extract().path("id");
    }

    private static ConfigurationItem withCpu(ConfigurationItem ci, int cpu) {
        Map<String, Object> attributes = new HashMap<>(ci.attributes());
        attributes.put("cpu", cpu);
        return ci.with(ci.ciClass(), ci.name(), ci.status(), ci.environment(), ci.criticality(), ci.owner(), ci.supportGroup(), attributes);
    }

    @Test
    void eachCiIsWrittenOverTheVersionReadAndOneChangedMeanwhileIsLeftAlone() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String written = create("bulk-a-" + tag);
        String stale = create("bulk-b-" + tag);
        String same = create("bulk-c-" + tag);
        Map<String, CiRepository.Stored> read = repository.findStored(List.of(written, stale, same));
        // another writer changes one of them after the read
        given().contentType("application/merge-patch+json").header("If-Match", "\"0\"").body(Map.of("attributes", Map.of("cpu", 64)))
                .patch("/api/cmdb/cis/" + stale).then().statusCode(200);

        List<Optional<ConfigurationItem>> results = cis.writeAllAs(List.of(
                new CiService.Write(read.get(written).ci(), withCpu(read.get(written).ci(), 4)),
                new CiService.Write(read.get(stale).ci(), withCpu(read.get(stale).ci(), 8)),
                new CiService.Write(read.get(same).ci(), withCpu(read.get(same).ci(), 2))), "ivan.import", "discovery");

        assertThat(results.get(0)).hasValueSatisfying(ci -> {
            assertThat(ci.version()).isEqualTo(1);
            assertThat(ci.attributes()).containsEntry("cpu", 4);
        });
        assertThat(results.get(1)).isEmpty();
        assertThat(results.get(2)).hasValueSatisfying(ci -> assertThat(ci.version()).isZero()); // nothing to change, nothing written

        given().get("/api/cmdb/cis/" + written).then().header("ETag", "\"1\"").body("attributes.cpu", equalTo(4));
        given().get("/api/cmdb/cis/" + stale).then().header("ETag", "\"1\"").body("attributes.cpu", equalTo(64));
        given().get("/api/cmdb/cis/" + same).then().header("ETag", "\"0\"");
        given().get("/api/cmdb/cis/" + written + "/history").then().body("", hasSize(2))
                .body("[1].actor", equalTo("ivan.import")).body("[1].source", equalTo("discovery"));
        given().get("/api/cmdb/cis/" + stale + "/history").then().body("", hasSize(2)).body("[1].actor", equalTo("sam.agent"));

        assertThat(TestKafka.events(Topics.CMDB_EVENTS, written::equals, 2, Duration.ofSeconds(20))).extracting(CloudEvent::type)
                .containsExactly("itsm.ci.created", "itsm.ci.updated");
        List<CloudEvent> ofStale = TestKafka.events(Topics.CMDB_EVENTS, stale::equals, 2, Duration.ofSeconds(20));
        assertThat(ofStale).extracting(CloudEvent::type).containsExactly("itsm.ci.created", "itsm.ci.updated");
        assertThat(ofStale.get(1).dataAsString()).contains("\"actor\":\"sam.agent\"");
        assertThat(TestKafka.events(Topics.CMDB_EVENTS, same::equals, 1, Duration.ofSeconds(3))).extracting(CloudEvent::type)
                .containsExactly("itsm.ci.created");
    }

    @Test
    void theRepositoryTellsWhichCisItsBulkWriteWroteByTheirRevisionsPendingOrProjected() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String id = create("bulk-revision-" + tag);
        String other = create("bulk-other-" + tag);
        Map<String, CiRepository.Stored> read = repository.findStored(List.of(id, other));
        CiRepository.Update update = update(read.get(id).ci(), 0);
        // a version the other CI never had: its write matches nothing, so the repository asks which revisions were stored
        CiRepository.Update lost = update(read.get(other).ci(), 5);

        assertThat(repository.updateAll(List.of(update, lost))).containsExactly(id);
        // written directly, nobody woke the projector: the revision is pending in the CI's document
        Map<String, String> asked = Map.of(update.ended().id(), id, lost.ended().id(), other, UUID.randomUUID().toString(), id);
        assertThat(history.stored(asked)).containsExactly(update.ended().id());
        history.projectDocuments(List.of(id));
        assertThat(history.stored(asked)).containsExactly(update.ended().id());
        given().get("/api/cmdb/cis/" + id).then().header("ETag", "\"1\"").body("attributes.cpu", equalTo(4));
        given().get("/api/cmdb/cis/" + other).then().header("ETag", "\"0\"").body("attributes.cpu", equalTo(2));
    }

    /** The repository's write of the CI with 4 CPUs over {@code expectedVersion}, as the service builds it. */
    private CiRepository.Update update(ConfigurationItem current, long expectedVersion) {
        ConfigurationItem next = withCpu(current, 4).nextVersion(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        List<FieldChange> changes = CiService.changes(current, next);
        OutboxEntry event = outbox.eventOfType(EventTypes.CI_UPDATED, current.id(), new CiEventData(next, changes, "ivan.import", "discovery"));
        CiRevision ended = new CiRevision(event.id().toString(), current.id(), current, current.updatedAt(), next.updatedAt(), "ivan.import",
                "discovery", EventTypes.CI_UPDATED, changes);
        return new CiRepository.Update(next, expectedVersion, event, ended, Map.of("attributes.cpu", "discovery"));
    }
}
