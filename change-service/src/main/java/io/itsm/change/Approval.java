package io.itsm.change;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One approver's decision on a change in one approval round, and the role it counts for. Part of the {@link ChangeRequest} aggregate. */
@Entity
@Table(name = "change_approval")
public class Approval {

    @Id
    public UUID id;

    @Column(name = "change_id", nullable = false)
    public UUID changeId;

    @Column(nullable = false)
    public int round;

    @Column(nullable = false)
    public String approver;

    /** The role of the policy this decision counts for, e.g. {@code itsm-cab}. */
    @Column(nullable = false)
    public String role;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public ApprovalDecision decision;

    public String comment;

    @Column(name = "decided_at", nullable = false)
    public Instant decidedAt;
}
