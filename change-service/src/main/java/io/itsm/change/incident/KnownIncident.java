package io.itsm.change.incident;

import java.time.Instant;
import java.util.LinkedHashSet;
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

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** What change-service knows of an incident: the fields it reads, as of the newest event applied. */
@Entity
@Table(name = "incident_read_model")
public class KnownIncident extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String number;

    @JdbcTypeCode(SqlTypes.SMALLINT)
    @Column(nullable = false)
    public int priority;

    @Column(nullable = false)
    public String state;

    @Column(name = "opened_at", nullable = false)
    public Instant openedAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "incident_read_model_ci", joinColumns = @JoinColumn(name = "incident_id"))
    @Column(name = "ci_id")
    public Set<UUID> configurationItemIds = new LinkedHashSet<>();

    @Column(nullable = false)
    public long version;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
