package io.itsm.change.cmdb;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** What change-service knows of a CMDB CI, as of the newest event applied. */
@Entity
@Table(name = "ci_read_model")
public class KnownCi extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String number;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String status;

    /** 1 most critical … 4. */
    @JdbcTypeCode(SqlTypes.SMALLINT)
    @Column(nullable = false)
    public int criticality;

    /** The CMDB attribute {@code maintenanceWindow} as JSON, when the CI has a valid one ({@code MaintenanceWindow}). */
    @Column(name = "maintenance_window")
    public String maintenanceWindow;

    @Column(nullable = false)
    public long version;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
