package io.itsm.change.template;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A standard-change template as the API returns it. */
@Schema(name = "ChangeTemplate")
public record ChangeTemplateView(UUID id, String name, String shortDescription, String description, String implementationPlan,
                                 String backoutPlan, String testPlan, List<UUID> configurationItemIds, String assignmentGroup,
                                 boolean active, String createdBy, Instant createdAt, Instant updatedAt, long version) {

    public static ChangeTemplateView of(ChangeTemplate t) {
        ChangeTemplateInput in = t.input();
        return new ChangeTemplateView(t.id, in.name(), in.shortDescription(), in.description(), in.implementationPlan(), in.backoutPlan(),
                in.testPlan(), in.configurationItemIds(), in.assignmentGroup(), t.active(), t.createdBy, t.createdAt, t.updatedAt, t.version);
    }
}
