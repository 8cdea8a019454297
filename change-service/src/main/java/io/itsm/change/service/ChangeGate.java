package io.itsm.change.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.itsm.change.ChangeRequest;
import io.itsm.change.ChangeState;
import io.itsm.change.blackout.BlackoutWindow;
import io.itsm.change.config.ChangeConfig;
import io.itsm.change.incident.IncidentReadModel;
import io.itsm.change.incident.KnownIncident;
import io.itsm.rest.ProblemException;

/**
 * The CI/CD gate: may a pipeline deploy under this change now? GO only while the change is in IMPLEMENT, inside
 * its planned window, with no blackout window in force on its CIs, and with no new P1 incident on its CIs since
 * implementation started. Every reason against is listed.
 */
@ApplicationScoped
public class ChangeGate {

    @Inject
    ChangeConflictDetector conflicts;

    @Inject
    IncidentReadModel incidents;

    @Inject
    ChangeConfig config;

    @Inject
    Clock clock;

    /** The gate's answer. */
    @Schema(name = "GateDecision")
    public record Decision(@Schema(description = "GO or NO_GO", example = "NO_GO") String decision,
                           @Schema(description = "Why not; empty for GO") List<String> reasons,
                           @Schema(description = "When the decision was taken") Instant evaluatedAt) {
    }

    /** @throws ProblemException 404 */
    @Transactional
    public Decision decide(UUID id) {
        ChangeRequest change = ChangeRequest.findById(id);
        if (change == null) {
            throw ProblemException.notFound("change", id);
        }
        Instant now = Instant.now(clock);
        List<String> reasons = new ArrayList<>();
        if (change.state != ChangeState.IMPLEMENT) {
            reasons.add(change.number + " is " + change.state + ", not IMPLEMENT");
        }
        if (change.plannedStart() == null || change.plannedEnd() == null) {
            reasons.add(change.number + " has no planned window");
        } else if (now.isBefore(change.plannedStart()) || !now.isBefore(change.plannedEnd())) {
            reasons.add("now (" + now + ") is outside the planned window " + change.plannedStart() + " to " + change.plannedEnd());
        }
        for (BlackoutWindow blackout : conflicts.blackoutsDuring(now, now.plusMillis(1))) {
            if (blackout.blocks(change.configurationItemIds(), now, now.plusMillis(1))) {
                reasons.add("blackout window '" + blackout.name() + "' is in force until " + blackout.endsAt());
            }
        }
        if (change.actualStart() != null) {
            int priority = config.gate().stopOnPriority();
            for (KnownIncident incident : incidents.openedSince(change.configurationItemIds(), priority, change.actualStart())) {
                reasons.add("P" + incident.priority + " incident " + incident.number + " was opened on a CI in scope at "
                        + incident.openedAt + ", after implementation started");
            }
        }
        return new Decision(reasons.isEmpty() ? "GO" : "NO_GO", List.copyOf(reasons), now);
    }
}
