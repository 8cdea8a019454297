package io.itsm.cmdb.graph;

import java.io.IOException;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.itsm.cmdb.domain.ConfigurationItem;
import io.itsm.cmdb.domain.Relationship;
import io.itsm.cmdb.domain.RelationshipType;
import io.itsm.events.CloudEvent;
import io.itsm.events.EventTypes;
import io.itsm.events.KafkaCloudEvents;

/**
 * Keeps this replica's {@link GraphProjection} and {@link CiCache} current with what other replicas write: reads
 * {@code itsm.cmdb.events} from the end, with a consumer group of its own (every replica sees every event) and no
 * committed offsets (the projection is rebuilt from the store at each start). Applying is idempotent, so this replica's
 * own events, applied already when written, change nothing.
 */
@ApplicationScoped
public class GraphEventConsumer {

    private static final Logger LOG = Logger.getLogger(GraphEventConsumer.class);

    @Inject
    GraphProjection graph;

    @Inject
    ObjectMapper json;

    @Inject
    CiCache cache;

    @Incoming("graph-events")
    public void consume(ConsumerRecord<String, byte[]> record) {
        try {
            CloudEvent event = KafkaCloudEvents.fromRecord(record.headers(), record.value());
            if (EventTypes.CI_DELETED.equals(event.type())) {
                cache.evict(event.subject());
                return;
            }
            if (event.type().startsWith("itsm.ci.")) {
                try {
                    cache.put(json.treeToValue(json.readTree(event.data()).path("ci"), ConfigurationItem.class));
                } catch (IOException | RuntimeException e) {
                    cache.evict(event.subject());
                }
                return;
            }
            boolean created = EventTypes.RELATIONSHIP_CREATED.equals(event.type());
            if (!created && !EventTypes.RELATIONSHIP_DELETED.equals(event.type())) {
                return;
            }
            JsonNode r = json.readTree(event.data()).path("relationship");
            Relationship edge = new Relationship(r.path("id").asText(), RelationshipType.valueOf(r.path("type").asText()),
                    r.path("sourceId").asText(), r.path("targetId").asText(), r.path("version").asLong(),
                    Instant.parse(r.path("createdAt").asText()), created ? null : event.time(), null, null, null, null);
            if (created) {
                graph.add(edge);
            } else {
                graph.remove(edge);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("skipped an event the relationship graph cannot read (offset %d): %s", record.offset(), e.getMessage());
        }
    }
}
