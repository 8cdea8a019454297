package io.itsm.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * A service's authorization table (a CSV resource kept in the repository: operation, then the expected status for
 * each role and for anonymous; "ok" is the operation's success status) and the walk over all of its cells with
 * real tokens.
 */
public final class SecurityMatrix {

    /** What a call answered. */
    public record Answer(int status, String contentType) {
    }

    /** Performs one operation of the table as the bearer of {@code token} (anonymous when null). */
    public interface Caller {
        Answer call(String operation, String token);
    }

    private SecurityMatrix() {
    }

    /** Reads the table: operation → expected cells, in file order; blank lines and # comments are skipped. */
    public static Map<String, List<String>> read(String resource) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        try (InputStream in = SecurityMatrix.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource);
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                List<String> cells = new ArrayList<>();
                for (String cell : line.split(",")) {
                    cells.add(cell.strip());
                }
                rows.put(cells.get(0), List.copyOf(cells.subList(1, cells.size())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /**
     * Calls every operation as a holder of each role (a valid token with that one role) and anonymously.
     *
     * @param roles   the column order of the table (then anonymous)
     * @param success the success status of an operation, for its "ok" cells
     * @return one line per cell that does not match: another status, or an error answer that is not problem+json
     */
    public static List<String> walk(Map<String, List<String>> table, List<String> roles, Caller caller, ToIntFunction<String> success) {
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, List<String>> row : table.entrySet()) {
            String operation = row.getKey();
            List<String> expected = row.getValue();
            if (expected.size() != roles.size() + 1) {
                mismatches.add(operation + ": the row has " + expected.size() + " cells, not " + (roles.size() + 1));
                continue;
            }
            for (int i = 0; i <= roles.size(); i++) {
                String who = i < roles.size() ? roles.get(i) : "anonymous";
                String token = i < roles.size() ? TestTokens.token("user-" + who, Set.of(who)) : null;
                int want = expected.get(i).equals("ok") ? success.applyAsInt(operation) : Integer.parseInt(expected.get(i));
                Answer answer = caller.call(operation, token);
                if (answer.status() != want) {
                    mismatches.add(operation + " as " + who + ": " + answer.status() + " (table says " + want + ")");
                } else if (want >= 400 && (answer.contentType() == null || !answer.contentType().startsWith("application/problem+json"))) {
                    mismatches.add(operation + " as " + who + ": " + want + " is not problem+json but " + answer.contentType());
                }
            }
        }
        return mismatches;
    }
}
