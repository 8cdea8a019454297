package io.itsm.change.blackout;

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
import jakarta.persistence.Version;

import org.hibernate.annotations.BatchSize;

import io.itsm.rest.ProblemException;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A change freeze: from {@code startsAt} to {@code endsAt}, no change may be scheduled on the CIs it names, or on
 * any CI when it names none. It guards its own invariant: it ends after it starts.
 */
@Entity
@Table(name = "blackout_window")
public class BlackoutWindow extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false, length = 160)
    private String name;

    private String description;

    @Column(name = "starts_at", nullable = false)
    private Instant startsAt;

    @Column(name = "ends_at", nullable = false)
    private Instant endsAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "blackout_window_ci", joinColumns = @JoinColumn(name = "blackout_window_id"))
    @Column(name = "ci_id")
    @BatchSize(size = 100)
    private Set<UUID> configurationItemIds = new LinkedHashSet<>();

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    public static BlackoutWindow create(BlackoutWindowInput input, String createdBy, Instant now) {
        BlackoutWindow window = new BlackoutWindow();
        window.id = UUID.randomUUID();
        window.createdBy = createdBy;
        window.createdAt = now;
        window.apply(input, now);
        return window;
    }

    /** @throws ProblemException 422 when it would end before it starts */
    public void apply(BlackoutWindowInput input, Instant now) {
        if (!input.endsAt().isAfter(input.startsAt())) {
            throw ProblemException.unprocessable("endsAt", "must be after startsAt");
        }
        name = input.name();
        description = input.description();
        startsAt = input.startsAt();
        endsAt = input.endsAt();
        configurationItemIds = new LinkedHashSet<>(input.configurationItemIds() == null ? Set.of() : Set.copyOf(input.configurationItemIds()));
        updatedAt = now;
    }

    /** Whether it freezes any of {@code cis} during [start, end). */
    public boolean blocks(Set<UUID> cis, Instant start, Instant end) {
        boolean overlaps = startsAt.isBefore(end) && endsAt.isAfter(start);
        return overlaps && (configurationItemIds.isEmpty() || cis.stream().anyMatch(configurationItemIds::contains));
    }

    public BlackoutWindowInput input() {
        return new BlackoutWindowInput(name, description, startsAt, endsAt, java.util.List.copyOf(configurationItemIds));
    }

    public String name() { return name; }
    public Instant startsAt() { return startsAt; }
    public Instant endsAt() { return endsAt; }
    public Set<UUID> configurationItemIds() { return Set.copyOf(configurationItemIds); }
}
