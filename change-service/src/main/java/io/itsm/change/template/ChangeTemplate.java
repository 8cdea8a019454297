package io.itsm.change.template;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.BatchSize;

import io.itsm.change.ChangeFields;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A pre-approved standard change: its plans and CIs were approved once, so a STANDARD change raised from it
 * skips assessment and authorization and may not deviate from them.
 */
@Entity
@Table(name = "change_template")
public class ChangeTemplate extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true, length = 160)
    private String name;

    @Column(name = "short_description", nullable = false, length = 160)
    private String shortDescription;

    private String description;

    @Column(name = "implementation_plan", nullable = false)
    private String implementationPlan;

    @Column(name = "backout_plan", nullable = false)
    private String backoutPlan;

    @Column(name = "test_plan", nullable = false)
    private String testPlan;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "change_template_ci", joinColumns = @JoinColumn(name = "template_id"))
    @Column(name = "ci_id")
    @BatchSize(size = 100)
    private Set<UUID> configurationItemIds = new LinkedHashSet<>();

    @Column(name = "assignment_group")
    private String assignmentGroup;

    @Column(nullable = false)
    private boolean active;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    public static ChangeTemplate create(ChangeTemplateInput input, String createdBy, Instant now) {
        ChangeTemplate template = new ChangeTemplate();
        template.id = UUID.randomUUID();
        template.createdBy = createdBy;
        template.createdAt = now;
        template.apply(input, now);
        return template;
    }

    public void apply(ChangeTemplateInput input, Instant now) {
        name = input.name();
        shortDescription = input.shortDescription();
        description = input.description();
        implementationPlan = input.implementationPlan();
        backoutPlan = input.backoutPlan();
        testPlan = input.testPlan();
        configurationItemIds = new LinkedHashSet<>(input.configurationItemIds());
        assignmentGroup = input.assignmentGroup();
        active = input.active() == null || input.active();
        updatedAt = now;
    }

    /**
     * The fields of a change raised from this template: the template's plans, CIs and texts, with the window,
     * assignee, justification and any extra description the requester gives.
     */
    public ChangeFields changeFields(ChangeFields requested) {
        return new ChangeFields(shortDescription, requested.description() != null ? requested.description() : description,
                requested.justification(), implementationPlan, backoutPlan, testPlan, configurationItemIds, requested.plannedStart(),
                requested.plannedEnd(), requested.assignmentGroup() != null ? requested.assignmentGroup() : assignmentGroup, requested.assignee());
    }

    /** The fields a requester gave that the template defines, with other values: a standard change may not deviate. */
    public List<String> deviations(ChangeFields requested) {
        List<String> fields = new java.util.ArrayList<>();
        differs(fields, "shortDescription", requested.shortDescription(), shortDescription);
        differs(fields, "implementationPlan", requested.implementationPlan(), implementationPlan);
        differs(fields, "backoutPlan", requested.backoutPlan(), backoutPlan);
        differs(fields, "testPlan", requested.testPlan(), testPlan);
        if (!requested.configurationItemIds().isEmpty() && !requested.configurationItemIds().equals(configurationItemIds)) {
            fields.add("configurationItemIds");
        }
        return fields;
    }

    private static void differs(List<String> fields, String name, String requested, String defined) {
        if (requested != null && !requested.equals(defined)) {
            fields.add(name);
        }
    }

    public ChangeTemplateInput input() {
        return new ChangeTemplateInput(name, shortDescription, description, implementationPlan, backoutPlan, testPlan,
                List.copyOf(configurationItemIds), assignmentGroup, active);
    }

    public String name() { return name; }
    public boolean active() { return active; }
}
