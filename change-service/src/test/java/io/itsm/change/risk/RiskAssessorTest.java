package io.itsm.change.risk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.itsm.change.ChangeType;
import io.itsm.change.RiskLevel;
import io.itsm.change.config.ChangeConfig;

/** The risk score from type, scope, window and past outcomes, and the levels it maps to. */
class RiskAssessorTest {

    /** The defaults of {@link ChangeConfig.Risk}. */
    static final ChangeConfig.Risk DEFAULTS = new ChangeConfig.Risk() {
        public int emergencyWeight() { return 30; }
        public int normalWeight() { return 10; }
        public int perCiWeight() { return 5; }
        public int ciCap() { return 25; }
        public Duration longWindow() { return Duration.ofHours(4); }
        public int longWindowWeight() { return 10; }
        public Duration veryLongWindow() { return Duration.ofHours(12); }
        public int veryLongWindowWeight() { return 20; }
        public LocalTime businessHoursStart() { return LocalTime.of(8, 0); }
        public LocalTime businessHoursEnd() { return LocalTime.of(18, 0); }
        public ZoneId businessHoursZone() { return ZoneId.of("Europe/Berlin"); }
        public int businessHoursWeight() { return 15; }
        public int failedChangesWeight() { return 30; }
        public int openIncidentWeight() { return 10; }
        public int criticalDownstreamWeight() { return 10; }
        public int criticalCiWeight() { return 20; }
        public int importantCiWeight() { return 10; }
        public int blastRadiusDepth() { return 3; }
        public int blastRadiusMedium() { return 10; }
        public int blastRadiusMediumWeight() { return 10; }
        public int blastRadiusLarge() { return 50; }
        public int blastRadiusLargeWeight() { return 20; }
        public int openIncidentsCap() { return 20; }
        public int moderateFrom() { return 25; }
        public int highFrom() { return 50; }
        public int veryHighFrom() { return 75; }
    };

    private final RiskAssessor assessor = new RiskAssessor(DEFAULTS);

    /** Saturday 2026-12-05, 22:00 to 23:30 Berlin time: outside business hours. */
    private static final Instant NIGHT_START = Instant.parse("2026-12-05T21:00:00Z");
    private static final Instant NIGHT_END = Instant.parse("2026-12-05T22:30:00Z");

    private static Set<UUID> cis(int n) {
        return Set.copyOf(IntStream.range(0, n).mapToObj(i -> UUID.randomUUID()).toList());
    }

    @Test
    void aSmallNightTimeNormalChangeIsLow() {
        RiskAssessment risk = assessor.assess(inputs(ChangeType.NORMAL, cis(1), NIGHT_START, NIGHT_END, PastOutcomes.NONE, 0));
        assertThat(risk.factors()).extracting(RiskFactor::name, RiskFactor::weight)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("changeType", 10), org.assertj.core.groups.Tuple.tuple("ciCount", 5));
        assertThat(risk.score()).isEqualTo(15);
        assertThat(risk.level()).isEqualTo(RiskLevel.LOW);
    }

    @Test
    void everyFactorAddsItsWeightWithEvidence() {
        Instant mondayMorning = Instant.parse("2026-12-07T07:00:00Z"); // 08:00 in Berlin
        RiskAssessment risk = assessor.assess(new RiskAssessor.Inputs(ChangeType.EMERGENCY, cis(7), mondayMorning,
                mondayMorning.plus(Duration.ofHours(13)), new PastOutcomes(4, 2), 3, OptionalInt.of(1), 60, OptionalInt.of(1)));
        assertThat(risk.factors()).extracting(RiskFactor::name)
                .containsExactly("changeType", "ciCount", "ciCriticality", "blastRadius", "criticalDownstream", "windowLength", "businessHours",
                        "failedChangesOnCis", "openIncidentsOnCis");
        assertThat(risk.factors()).extracting(RiskFactor::weight).containsExactly(30, 25, 20, 20, 10, 20, 15, 15, 20);
        assertThat(risk.factors().get(3).evidence()).isEqualTo("60 CIs depend on the CIs in scope (within 3 hops in the CMDB)");
        assertThat(risk.factors().get(8).evidence()).isEqualTo("3 open P1/P2 incidents on these CIs");
        assertThat(risk.factors().get(7).evidence()).isEqualTo("2 of 4 past changes on these CIs closed UNSUCCESSFUL");
        assertThat(risk.score()).as("capped").isEqualTo(100);
        assertThat(risk.level()).isEqualTo(RiskLevel.VERY_HIGH);
    }

    private static RiskAssessor.Inputs inputs(ChangeType type, Set<UUID> cis, Instant start, Instant end, PastOutcomes past, long incidents) {
        return new RiskAssessor.Inputs(type, cis, start, end, past, incidents, OptionalInt.empty(), 0, OptionalInt.empty());
    }

    @Test
    void criticalityAndBlastRadiusCountFromTheirThresholds() {
        assertThat(assessor.assess(new RiskAssessor.Inputs(ChangeType.STANDARD, Set.of(), null, null, PastOutcomes.NONE, 0, OptionalInt.of(3), 9, OptionalInt.of(2)))
                .factors()).isEmpty();
        assertThat(assessor.assess(new RiskAssessor.Inputs(ChangeType.STANDARD, Set.of(), null, null, PastOutcomes.NONE, 0, OptionalInt.of(2), 10, OptionalInt.of(2)))
                .factors()).extracting(RiskFactor::name, RiskFactor::weight)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ciCriticality", 10), org.assertj.core.groups.Tuple.tuple("blastRadius", 10));
    }

    @Test
    void theLevelsBeginWhereConfigured() {
        assertThat(assessor.levelOf(24)).isEqualTo(RiskLevel.LOW);
        assertThat(assessor.levelOf(25)).isEqualTo(RiskLevel.MODERATE);
        assertThat(assessor.levelOf(49)).isEqualTo(RiskLevel.MODERATE);
        assertThat(assessor.levelOf(50)).isEqualTo(RiskLevel.HIGH);
        assertThat(assessor.levelOf(75)).isEqualTo(RiskLevel.VERY_HIGH);
    }

    @Test
    void businessHoursAreWeekdaysInTheConfiguredZone() {
        assertThat(assessor.overlapsBusinessHours(NIGHT_START, NIGHT_END)).as("Saturday night").isFalse();
        assertThat(assessor.overlapsBusinessHours(Instant.parse("2026-12-07T06:00:00Z"), Instant.parse("2026-12-07T07:00:00Z")))
                .as("Monday 07:00-08:00 Berlin ends as business hours begin").isFalse();
        assertThat(assessor.overlapsBusinessHours(Instant.parse("2026-12-07T16:30:00Z"), Instant.parse("2026-12-07T17:30:00Z")))
                .as("Monday 17:30-18:30 Berlin").isTrue();
        assertThat(assessor.overlapsBusinessHours(Instant.parse("2026-12-05T12:00:00Z"), Instant.parse("2026-12-07T07:30:00Z")))
                .as("from Saturday noon into Monday 08:30 Berlin").isTrue();
    }

    @Test
    void aWindowLengthOnlyCountsWhenLong() {
        assertThat(assessor.assess(inputs(ChangeType.STANDARD, Set.of(), NIGHT_START, NIGHT_START.plus(Duration.ofHours(4)), PastOutcomes.NONE, 0)).factors())
                .isEmpty();
        assertThat(assessor.assess(inputs(ChangeType.STANDARD, Set.of(), NIGHT_START, NIGHT_START.plus(Duration.ofHours(5)), PastOutcomes.NONE, 0)).factors())
                .extracting(RiskFactor::weight).containsExactly(10);
        assertThat(assessor.assess(inputs(ChangeType.STANDARD, Set.of(), null, null, new PastOutcomes(3, 0), 0)).score()).isZero();
    }
}
