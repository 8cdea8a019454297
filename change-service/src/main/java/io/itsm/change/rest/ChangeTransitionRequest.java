package io.itsm.change.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.itsm.change.ChangeState;
import io.itsm.change.CloseCode;
import io.itsm.change.TransitionDetails;

/** The body of {@code POST /api/changes/{id}/transitions}. */
@Schema(name = "ChangeTransition", description = "Move a change request to another state")
public record ChangeTransitionRequest(
        @NotNull @Schema(description = "The target state", example = "SCHEDULED") ChangeState to,
        @Schema(description = "Required when to is CLOSED") CloseCode closeCode,
        @Size(max = 32000) @Schema(description = "When to is CLOSED", example = "Both nodes on 15.2, mail flow verified") String closeNotes,
        @Size(max = 32000) @Schema(description = "The post-implementation review; required to close an UNSUCCESSFUL change") String reviewNotes,
        @Size(max = 32000) @Schema(description = "When to is SCHEDULED and the window has conflicts: why to schedule anyway (itsm-change-manager only)",
                example = "Both changes are coordinated by the same team") String conflictOverride) {

    public TransitionDetails details() {
        return new TransitionDetails(closeCode, closeNotes, reviewNotes, conflictOverride);
    }
}
