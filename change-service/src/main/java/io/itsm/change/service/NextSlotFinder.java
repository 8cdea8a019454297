package io.itsm.change.service;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.itsm.change.ChangeRequest;
import io.itsm.change.MaintenanceWindow;
import io.itsm.change.blackout.BlackoutWindow;
import io.itsm.change.cmdb.CmdbGraph;

/**
 * Finds the earliest window of a change's length, from a given instant on and within a horizon, that no
 * scheduled or implementing change on a shared or related CI and no blackout window on its CIs overlaps, and that
 * fits into the maintenance windows of its CIs: a sweep over the busy periods in start order (outside a
 * maintenance window counts as busy).
 */
@ApplicationScoped
public class NextSlotFinder {

    /** How far ahead a free window is searched. */
    public static final Duration HORIZON = Duration.ofDays(90);

    @Inject
    ChangeConflictDetector conflicts;

    @Inject
    CmdbGraph graph;

    /** A free window. */
    public record Slot(Instant plannedStart, Instant plannedEnd) {
    }

    /**
     * @param from the earliest start (rounded up to the minute)
     * @return the earliest free window of the change's planned length, or empty when none starts within {@link #HORIZON}
     */
    public Optional<Slot> nextSlot(ChangeRequest change, Instant from) {
        Duration length = Duration.between(change.plannedStart(), change.plannedEnd());
        Instant start = from.truncatedTo(ChronoUnit.MINUTES).equals(from) ? from : from.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        Instant horizon = start.plus(HORIZON);
        record Busy(Instant from, Instant to) {
        }
        List<Busy> busy = new ArrayList<>();
        if (!change.configurationItemIds().isEmpty()) {
            for (Object[] row : conflicts.occupying(conflicts.scopeOf(change).keySet(), start, horizon.plus(length), change.id)) {
                busy.add(new Busy((Instant) row[3], (Instant) row[4]));
            }
        }
        for (BlackoutWindow blackout : conflicts.blackoutsDuring(start, horizon.plus(length))) {
            if (blackout.blocks(change.configurationItemIds(), blackout.startsAt(), blackout.endsAt())) {
                busy.add(new Busy(blackout.startsAt(), blackout.endsAt()));
            }
        }
        LocalDate firstDay = start.atZone(ZoneOffset.UTC).toLocalDate().minusDays(2);
        LocalDate lastDay = horizon.plus(length).atZone(ZoneOffset.UTC).toLocalDate().plusDays(2);
        for (MaintenanceWindow window : graph.maintenanceWindows(change.configurationItemIds()).values()) {
            Instant free = firstDay.atStartOfDay(ZoneOffset.UTC).toInstant(); // outside the window is busy
            for (Instant[] occurrence : window.occurrences(firstDay, lastDay)) {
                if (occurrence[0].isAfter(free)) {
                    busy.add(new Busy(free, occurrence[0]));
                }
                free = occurrence[1].isAfter(free) ? occurrence[1] : free;
            }
            busy.add(new Busy(free, lastDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
        }
        busy.sort(Comparator.comparing(Busy::from));
        Instant candidate = start;
        for (Busy period : busy) {
            if (!period.from().isBefore(candidate.plus(length))) {
                break; // the gap before this period is long enough
            }
            if (period.to().isAfter(candidate)) {
                candidate = period.to();
            }
        }
        return candidate.isBefore(horizon) || candidate.equals(horizon)
                ? Optional.of(new Slot(candidate, candidate.plus(length))) : Optional.empty();
    }
}
