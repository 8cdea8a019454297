package io.itsm.incident;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/**
 * The SLA clocks of one incident on a 24×7 calendar. The response clock runs from opening until the first
 * response and never pauses. The resolution clock runs while the incident is NEW or IN_PROGRESS, pauses while
 * it is ON_HOLD or RESOLVED (a reopen resumes it), and stops when it is CLOSED or CANCELED.
 *
 * <p>Due times are always {@code openedAt + target + paused time}: the paused time is the sum of the paused
 * periods of the incident's transition history, folded here as each period ends. When the priority changes, the
 * new targets therefore apply as if they had held since the incident was opened (rule chosen so that an
 * incident's due time depends only on its current priority and its history, not on when someone corrected the
 * priority; it may put a re-prioritised incident straight into warning or breach, which is what a stricter
 * priority means).
 */
@Embeddable
public class SlaTracking {

    @Column(name = "sla_response_target_s")
    Long responseTargetSeconds;

    @Column(name = "sla_resolution_target_s")
    Long resolutionTargetSeconds;

    @Column(name = "sla_response_due_at")
    Instant responseDueAt;

    @Column(name = "sla_resolution_due_at")
    Instant resolutionDueAt;

    @Column(name = "sla_paused_ms", nullable = false)
    long pausedMillis;

    @Column(name = "sla_paused_since")
    Instant pausedSince;

    @Column(name = "sla_response_warned", nullable = false)
    boolean responseWarned;

    @Column(name = "sla_response_breached", nullable = false)
    boolean responseBreached;

    @Column(name = "sla_resolution_warned", nullable = false)
    boolean resolutionWarned;

    @Column(name = "sla_resolution_breached", nullable = false)
    boolean resolutionBreached;

    /** The earliest time a warning or breach may fall due; {@code null} when none can. The scheduler's index. */
    @Column(name = "sla_next_check_at")
    Instant nextCheckAt;

    void target(SlaTargets targets, Instant openedAt) {
        responseTargetSeconds = targets.response() == null ? null : targets.response().toSeconds();
        resolutionTargetSeconds = targets.resolution() == null ? null : targets.resolution().toSeconds();
        responseDueAt = responseTargetSeconds == null ? null : openedAt.plusSeconds(responseTargetSeconds);
        resolutionDueAt = resolutionTargetSeconds == null ? null
                : openedAt.plusSeconds(resolutionTargetSeconds).plusMillis(pausedMillis);
    }

    void pause(Instant now) {
        if (pausedSince == null) {
            pausedSince = now;
        }
    }

    /** Ends a paused period: its length joins the paused time and the resolution due time moves by as much. */
    void resume(Instant now) {
        if (pausedSince != null) {
            long paused = Duration.between(pausedSince, now).toMillis();
            pausedMillis += paused;
            pausedSince = null;
            if (resolutionDueAt != null) {
                resolutionDueAt = resolutionDueAt.plusMillis(paused);
            }
        }
    }

    /** The running time of the resolution clock so far. */
    Duration elapsed(Instant openedAt, Instant until) {
        long paused = pausedMillis + (pausedSince == null ? 0 : Duration.between(pausedSince, until).toMillis());
        return Duration.between(openedAt, until).minusMillis(paused);
    }

    Duration paused(Instant now) {
        return Duration.ofMillis(pausedMillis + (pausedSince == null ? 0 : Duration.between(pausedSince, now).toMillis()));
    }

    /**
     * The thresholds crossed by {@code now} that were not reported yet; marks them reported.
     *
     * @param responding      whether the response clock still runs (no response yet)
     * @param resolving       whether the resolution clock runs (NEW or IN_PROGRESS)
     */
    List<SlaEvent> crossed(Instant now, Instant openedAt, boolean responding, boolean resolving, double warningRatio) {
        List<SlaEvent> events = new ArrayList<>();
        if (responding && responseDueAt != null) {
            if (!responseWarned && !now.isBefore(warnAt(openedAt, responseTargetSeconds, 0, warningRatio))) {
                responseWarned = true;
                events.add(new SlaEvent(SlaEvent.Clock.RESPONSE, SlaEvent.Level.WARNING));
            }
            if (!responseBreached && !now.isBefore(responseDueAt)) {
                responseBreached = true;
                events.add(new SlaEvent(SlaEvent.Clock.RESPONSE, SlaEvent.Level.BREACHED));
            }
        }
        if (resolving && resolutionDueAt != null) {
            if (!resolutionWarned && !now.isBefore(warnAt(openedAt, resolutionTargetSeconds, pausedMillis, warningRatio))) {
                resolutionWarned = true;
                events.add(new SlaEvent(SlaEvent.Clock.RESOLUTION, SlaEvent.Level.WARNING));
            }
            if (!resolutionBreached && !now.isBefore(resolutionDueAt)) {
                resolutionBreached = true;
                events.add(new SlaEvent(SlaEvent.Clock.RESOLUTION, SlaEvent.Level.BREACHED));
            }
        }
        return events;
    }

    /** Recomputes {@link #nextCheckAt} from the clocks that still run. */
    void schedule(Instant openedAt, boolean responding, boolean resolving, double warningRatio) {
        Instant next = null;
        if (responding && responseDueAt != null) {
            next = earliest(next, responseWarned ? null : warnAt(openedAt, responseTargetSeconds, 0, warningRatio));
            next = earliest(next, responseBreached ? null : responseDueAt);
        }
        if (resolving && resolutionDueAt != null) {
            next = earliest(next, resolutionWarned ? null : warnAt(openedAt, resolutionTargetSeconds, pausedMillis, warningRatio));
            next = earliest(next, resolutionBreached ? null : resolutionDueAt);
        }
        nextCheckAt = next;
    }

    private static Instant warnAt(Instant openedAt, long targetSeconds, long pausedMillis, double ratio) {
        return openedAt.plusMillis(Math.round(targetSeconds * 1000 * ratio)).plusMillis(pausedMillis);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    public Duration responseTarget() {
        return responseTargetSeconds == null ? null : Duration.ofSeconds(responseTargetSeconds);
    }

    public Duration resolutionTarget() {
        return resolutionTargetSeconds == null ? null : Duration.ofSeconds(resolutionTargetSeconds);
    }

    public Instant responseDueAt() {
        return responseDueAt;
    }

    public Instant resolutionDueAt() {
        return resolutionDueAt;
    }

    public boolean paused() {
        return pausedSince != null;
    }

    /** The paused time of the periods that have ended. */
    public long pausedMillis() {
        return pausedMillis;
    }

    /** When the current pause began; {@code null} when the resolution clock is not paused. */
    public Instant pausedSince() {
        return pausedSince;
    }

    public boolean responseWarned() {
        return responseWarned;
    }

    public boolean responseBreached() {
        return responseBreached;
    }

    public boolean resolutionWarned() {
        return resolutionWarned;
    }

    public boolean resolutionBreached() {
        return resolutionBreached;
    }

    public Instant nextCheckAt() {
        return nextCheckAt;
    }
}
