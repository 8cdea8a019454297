package io.itsm.localstack;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ./itsm token [--user NAME] [--roles r1,r2] [--ttl 8h]}: prints a bearer token of the local development
 * issuer for the embedded default. Defaults: user {@code dev}, role {@code itsm-agent}, 8 hours.
 */
public final class DevTokenMain {

    private static final List<String> ROLES = List.of("itsm-reader", "itsm-agent", "itsm-change-manager", "itsm-cab",
            "itsm-cmdb-admin", "itsm-admin");

    private DevTokenMain() {
    }

    public static void main(String[] args) {
        String user = "dev";
        List<String> roles = List.of("itsm-agent");
        Duration ttl = Duration.ofHours(8);
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--user" -> user = require(args[i], value);
                case "--roles" -> roles = roles(require(args[i], value));
                case "--ttl" -> ttl = duration(require(args[i], value));
                case "-h", "--help" -> {
                    usage();
                    return;
                }
                default -> fail("unknown option " + args[i]);
            }
            i++;
        }
        System.out.println(LocalIssuer.token(user, roles, ttl));
    }

    private static List<String> roles(String list) {
        List<String> roles = new ArrayList<>();
        for (String role : list.split(",")) {
            String r = role.strip();
            if (!ROLES.contains(r)) {
                fail("unknown role " + r + "; the roles are " + String.join(", ", ROLES));
            }
            roles.add(r);
        }
        return roles;
    }

    private static Duration duration(String text) {
        try {
            String t = text.strip().toUpperCase();
            return t.endsWith("D") ? Duration.parse("P" + t) : Duration.parse("PT" + t);
        } catch (DateTimeParseException e) {
            fail("--ttl needs a duration like 30m, 8h or 2d, not " + text);
            return null;
        }
    }

    private static String require(String option, String value) {
        if (value == null || value.startsWith("--")) {
            fail(option + " needs a value");
        }
        return value;
    }

    private static void usage() {
        System.out.println("usage: ./itsm token [--user NAME] [--roles ROLE,...] [--ttl 8h]\n  roles: " + String.join(", ", ROLES)
                + "\n  prints a bearer token of the local development issuer (embedded default only), e.g.\n"
                + "  curl -H \"Authorization: Bearer $(./itsm token --roles itsm-agent)\" localhost:8080/api/incidents");
    }

    private static void fail(String message) {
        System.err.println("itsm token: " + message);
        System.err.println("roles: " + Arrays.toString(ROLES.toArray()));
        System.exit(2);
    }
}
