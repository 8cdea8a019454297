package io.itsm.incident;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * The incident aggregate. Priority is always derived from impact and urgency; nothing outside this class
 * sets it. (The state machine, SLA and assignment arrive with the incident practice.)
 */
@Entity
@Table(name = "incident")
public class Incident extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true, length = 10)
    public String number;

    @Column(name = "short_description", nullable = false, length = 160)
    public String shortDescription;

    public String description;

    public String caller;

    public int impact;

    public int urgency;

    private int priority;

    @Enumerated(EnumType.STRING)
    public IncidentState state;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "incident_ci", joinColumns = @JoinColumn(name = "incident_id"))
    @Column(name = "ci_id")
    public Set<UUID> configurationItemIds = new LinkedHashSet<>();

    @Column(name = "opened_at", nullable = false)
    public Instant openedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    /** Opens a new incident; its priority follows from impact and urgency through the matrix. */
    public static Incident open(String number, String shortDescription, String description, String caller,
                                int impact, int urgency, Set<UUID> configurationItemIds, PriorityMatrix matrix, Instant now) {
        Incident incident = new Incident();
        incident.id = UUID.randomUUID();
        incident.number = number;
        incident.shortDescription = shortDescription;
        incident.description = description;
        incident.caller = caller;
        incident.impact = impact;
        incident.urgency = urgency;
        incident.priority = matrix.priority(impact, urgency);
        incident.state = IncidentState.NEW;
        incident.configurationItemIds = new LinkedHashSet<>(configurationItemIds);
        incident.openedAt = now;
        incident.updatedAt = now;
        return incident;
    }

    public int priority() {
        return priority;
    }
}
