package io.itsm.change.history;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One change of a change request as history keeps it: who made it, when, the event it published, what changed. Read through
 * this entity; written only by {@link ChangeJournal}, in the statement that writes the change's event.
 */
@Entity
@Table(name = "change_history")
public class ChangeHistoryEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "change_id", nullable = false)
    public UUID changeId;

    @Column(nullable = false)
    public Instant at;

    @Column(nullable = false)
    public String actor;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    /** The changed fields as a JSON array of {@code {field, from, to}}. */
    @Column(nullable = false)
    public String changes;
}
