package io.itsm.change.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.itsm.change.ChangeState;

/** The answer of {@code GET /api/changes/{id}/transitions}. */
@Schema(name = "ChangeTransitions", description = "The change's state and the states the caller may move it to next")
public record AllowedTransitionsView(
        @Schema(example = "ASSESS") ChangeState current,
        @Schema(description = "Empty for a final state (CLOSED, CANCELED) or when the caller's roles allow no step") List<ChangeState> allowed) {
}
