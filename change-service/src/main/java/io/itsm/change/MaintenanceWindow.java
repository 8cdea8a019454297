package io.itsm.change;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * When changes may be made to a CI: on the given days, from {@code start} to {@code end} local time in {@code zone};
 * an {@code end} at or before {@code start} runs into the next day (e.g. SAT 22:00–04:00). Read from the CMDB
 * attribute {@code maintenanceWindow}: {@code {"days": ["SAT", "SUN"], "start": "22:00", "end": "04:00", "zone": "UTC"}}.
 */
public record MaintenanceWindow(Set<DayOfWeek> days, LocalTime start, LocalTime end, ZoneId zone) {

    /** A maintenance window from the CMDB attribute, or empty when it is absent or not one (days, start and end needed). */
    public static Optional<MaintenanceWindow> fromAttribute(JsonNode attribute) {
        if (attribute == null || !attribute.isObject() || !attribute.path("days").isArray() || attribute.path("days").isEmpty()) {
            return Optional.empty();
        }
        try {
            Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
            for (JsonNode day : attribute.path("days")) {
                days.add(dayOf(day.asText()));
            }
            ZoneId zone = attribute.hasNonNull("zone") ? ZoneId.of(attribute.path("zone").asText()) : ZoneId.of("UTC");
            return Optional.of(new MaintenanceWindow(days, LocalTime.parse(attribute.path("start").asText()),
                    LocalTime.parse(attribute.path("end").asText()), zone));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static DayOfWeek dayOf(String text) {
        String upper = text.strip().toUpperCase(Locale.ROOT);
        for (DayOfWeek day : DayOfWeek.values()) {
            if (day.name().equals(upper) || day.name().startsWith(upper) && upper.length() >= 3) {
                return day;
            }
        }
        throw new IllegalArgumentException("not a day: " + text);
    }

    /** The occurrences that start on days from {@code from} to {@code to} (inclusive, in the window's zone). */
    public List<Instant[]> occurrences(LocalDate from, LocalDate to) {
        List<Instant[]> occurrences = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            if (days.contains(day.getDayOfWeek())) {
                ZonedDateTime opens = ZonedDateTime.of(day, start, zone);
                ZonedDateTime closes = ZonedDateTime.of(end.isAfter(start) ? day : day.plusDays(1), end, zone);
                occurrences.add(new Instant[]{opens.toInstant(), closes.toInstant()});
            }
        }
        return occurrences;
    }

    /** Whether [from, to) lies entirely inside one occurrence. */
    public boolean contains(Instant from, Instant to) {
        LocalDate first = from.atZone(zone).toLocalDate().minusDays(1);
        for (Instant[] occurrence : occurrences(first, first.plusDays(1))) {
            if (!from.isBefore(occurrence[0]) && !to.isAfter(occurrence[1])) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return String.join(",", days.stream().map(d -> d.getDisplayName(TextStyle.SHORT, Locale.ROOT).toUpperCase(Locale.ROOT)).toList())
                + " " + start + "-" + end + " " + zone;
    }
}
