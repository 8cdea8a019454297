package io.itsm.incident;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.itsm.rest.security.Actor;

/** The default policies of the service (ITIL matrix, the SLA targets), for tests without Quarkus. */
final class TestPolicies {

    static final PriorityMatrix MATRIX = PriorityMatrix.itil();

    static final Actor AGENT = new Actor("sam.agent", Set.of("itsm-agent"));
    static final Actor ADMIN = new Actor("ada.admin", Set.of("itsm-admin"));

    /** P1 15 min/4 h, P2 30 min/8 h, P3 4 h/3 d, P4 1 d/5 d, P5 none; warning at 75 %. */
    static final SlaPolicy SLA = new SlaPolicy() {
        @Override
        public SlaTargets targets(int priority) {
            return switch (priority) {
                case 1 -> new SlaTargets(Duration.ofMinutes(15), Duration.ofHours(4));
                case 2 -> new SlaTargets(Duration.ofMinutes(30), Duration.ofHours(8));
                case 3 -> new SlaTargets(Duration.ofHours(4), Duration.ofDays(3));
                case 4 -> new SlaTargets(Duration.ofDays(1), Duration.ofDays(5));
                default -> SlaTargets.NONE;
            };
        }

        @Override
        public double warningRatio() {
            return 0.75;
        }
    };

    private TestPolicies() {
    }

    static IncidentFields fields(String shortDescription, int impact, int urgency) {
        return new IncidentFields(shortDescription, null, "jane.doe", null, null, impact, urgency, null, null, List.<UUID>of(), false, null);
    }
}
