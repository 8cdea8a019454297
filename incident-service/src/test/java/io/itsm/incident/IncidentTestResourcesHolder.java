package io.itsm.incident;

import io.itsm.testsupport.KafkaTestResource;
import io.itsm.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** Base of the incident-service tests: the real Kafka broker and PostgreSQL database they run against. */
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = "topics",
        value = "itsm.incident.events,itsm.incident.events.dlq,itsm.cmdb.events,itsm.cmdb.events.dlq,itsm.change.events,itsm.change.events.dlq"))
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "incident"))
public abstract class IncidentTestResourcesHolder {
}
