package io.itsm.change.incident;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A change that may have caused an incident, with its graph distance and score (higher: more likely). */
@Entity
@Table(name = "change_incident_correlation")
public class IncidentCorrelation extends PanacheEntityBase {

    /** The change and the incident. */
    @Embeddable
    public record Key(@Column(name = "change_id") UUID changeId, @Column(name = "incident_id") UUID incidentId) implements Serializable {
    }

    @EmbeddedId
    public Key key;

    @Column(name = "incident_number", nullable = false)
    public String incidentNumber;

    @Column(nullable = false)
    public int distance;

    @Column(nullable = false)
    public double score;

    @Column(name = "correlated_at", nullable = false)
    public Instant correlatedAt;
}
