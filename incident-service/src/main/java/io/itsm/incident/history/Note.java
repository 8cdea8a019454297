package io.itsm.incident.history;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A work note (INTERNAL, for agents) or a comment (CUSTOMER, visible to the caller) on an incident. */
@Entity
@Table(name = "incident_note")
public class Note extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "incident_id", nullable = false)
    public UUID incidentId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public String author;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public NoteVisibility visibility;

    @Column(nullable = false)
    public String text;
}
