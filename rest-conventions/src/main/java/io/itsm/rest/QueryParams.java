package io.itsm.rest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Reads list filters from query parameters with a 400 problem naming the parameter when a value is malformed
 * (JAX-RS would answer 404 for a query parameter it cannot convert). {@code null} in, {@code null} out.
 */
public final class QueryParams {

    private QueryParams() {
    }

    public static Integer integer(String name, String value, int min, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n < min || n > max) {
                throw ProblemException.invalid(name, "must be between " + min + " and " + max + ", was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ProblemException.invalid(name, "must be an integer, was '" + value + "'");
        }
    }

    public static Boolean bool(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw ProblemException.invalid(name, "must be true or false, was '" + value + "'");
        };
    }

    public static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(name, "must be an ISO-8601 UTC timestamp like 2026-01-31T09:00:00Z, was '" + value + "'");
        }
    }

    public static UUID uuid(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(name, "must be a UUID, was '" + value + "'");
        }
    }

    /** A repeatable enum parameter ({@code state=NEW&state=IN_PROGRESS}, or comma-separated); empty when absent. */
    public static <E extends Enum<E>> List<E> enums(String name, List<String> values, Class<E> type) {
        List<E> result = new ArrayList<>();
        for (String part : each(values)) {
            try {
                result.add(Enum.valueOf(type, part.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid(name, "must be one of " + Arrays.stream(type.getEnumConstants())
                        .map(Enum::name).collect(Collectors.joining(", ")) + ", was '" + part + "'");
            }
        }
        return result;
    }

    /**
     * The values of a repeatable parameter, each also comma-separated ({@code a=1&a=2,3} → 1, 2, 3), stripped, blanks
     * left out; empty when the parameter is absent.
     */
    public static List<String> each(List<String> values) {
        List<String> result = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                for (String part : value.split(",")) {
                    if (!part.isBlank()) {
                        result.add(part.strip());
                    }
                }
            }
        }
        return result;
    }

    /**
     * A repeatable filter of human numbers ({@code number=INC0010001&number=INC0010002}, or comma-separated), each the
     * {@code prefix} and seven digits (any case); empty when absent.
     *
     * @throws ProblemException 400 naming the parameter for a value of another form, or for more values than a page holds
     */
    public static List<String> numbers(String name, List<String> values, String prefix) {
        List<String> result = new ArrayList<>();
        for (String part : each(values)) {
            String number = part.toUpperCase(Locale.ROOT);
            if (!number.matches(java.util.regex.Pattern.quote(prefix) + "[0-9]{7}")) {
                throw ProblemException.invalid(name, "must be a number like " + prefix + "0010001, was '" + part + "'");
            }
            result.add(number);
        }
        if (result.size() > io.itsm.rest.paging.PageResponses.MAX_LIMIT) {
            throw ProblemException.invalid(name, "may name at most " + io.itsm.rest.paging.PageResponses.MAX_LIMIT + " numbers, named " + result.size());
        }
        return result;
    }

    /** A free-text filter: {@code null} when absent or blank, else the value as sent. */
    public static String text(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** The {@code limit} of a list: default 50, 1 to 500. */
    public static int limit(String value) {
        Integer limit = integer("limit", value, 1, io.itsm.rest.paging.PageResponses.MAX_LIMIT);
        return limit == null ? io.itsm.rest.paging.PageResponses.DEFAULT_LIMIT : limit;
    }
}
