package io.itsm.change.cmdb;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A CMDB relationship read as "dependent needs dependency" (the dependency's failure breaks the dependent). */
@Entity
@Table(name = "ci_dependency")
public class CiDependency extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "dependent_id", nullable = false)
    public UUID dependentId;

    @Column(name = "dependency_id", nullable = false)
    public UUID dependencyId;

    @Column(nullable = false)
    public String type;

    @Column(nullable = false)
    public long version;

    @Column(nullable = false)
    public boolean deleted;
}
