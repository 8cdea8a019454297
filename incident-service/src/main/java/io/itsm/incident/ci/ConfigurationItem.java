package io.itsm.incident.ci;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * incident-service's own copy of a CMDB configuration item, as far as incidents need it; kept current from
 * {@code itsm.cmdb.events}, so incidents can be checked against the CMDB while the CMDB is down.
 */
@Entity
@Table(name = "ci_read_model")
public class ConfigurationItem extends PanacheEntityBase {

    @Id
    public UUID id;

    public String number;

    public String name;

    @Column(name = "ci_class")
    public String ciClass;

    public String status;

    /** The CMDB's version of the CI; an event with an older version than this is stale and ignored. */
    public long version;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public boolean isRetired() {
        return "RETIRED".equals(status);
    }
}
