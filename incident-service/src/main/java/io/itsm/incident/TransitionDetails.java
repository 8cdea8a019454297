package io.itsm.incident;

/**
 * What a transition may need besides its target state: the on-hold reason (to {@link IncidentState#ON_HOLD})
 * and the resolution code and notes (to {@link IncidentState#RESOLVED}). Values a transition does not need
 * are ignored.
 */
public record TransitionDetails(OnHoldReason onHoldReason, ResolutionCode resolutionCode, String resolutionNotes) {

    public static TransitionDetails none() {
        return new TransitionDetails(null, null, null);
    }
}
