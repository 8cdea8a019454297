package io.itsm.change;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * The change request aggregate. It guards its own invariants: a planned window ends after it starts.
 * (Risk, approvals, scheduling and the per-type state machines arrive with the change practice.)
 */
@Entity
@Table(name = "change_request")
public class ChangeRequest extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true, length = 10)
    public String number;

    @Enumerated(EnumType.STRING)
    public ChangeType type;

    @Column(name = "short_description", nullable = false, length = 160)
    public String shortDescription;

    public String description;

    @Column(name = "requested_by")
    public String requestedBy;

    @Column(name = "planned_start")
    public Instant plannedStart;

    @Column(name = "planned_end")
    public Instant plannedEnd;

    @Enumerated(EnumType.STRING)
    public ChangeState state;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    /**
     * Raises a new change request in state NEW.
     *
     * @throws IllegalArgumentException when the planned window ends before it starts
     */
    public static ChangeRequest raise(String number, ChangeType type, String shortDescription, String description,
                                      String requestedBy, Instant plannedStart, Instant plannedEnd, Instant now) {
        if (plannedStart != null && plannedEnd != null && !plannedEnd.isAfter(plannedStart)) {
            throw new IllegalArgumentException("plannedEnd must be after plannedStart");
        }
        ChangeRequest change = new ChangeRequest();
        change.id = UUID.randomUUID();
        change.number = number;
        change.type = type;
        change.shortDescription = shortDescription;
        change.description = description;
        change.requestedBy = requestedBy;
        change.plannedStart = plannedStart;
        change.plannedEnd = plannedEnd;
        change.state = ChangeState.NEW;
        change.createdAt = now;
        change.updatedAt = now;
        return change;
    }
}
