package io.itsm.cmdb.history;

import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.itsm.rest.Problem;
import io.itsm.rest.ProblemException;
import io.itsm.rest.QueryParams;
import io.itsm.rest.Roles;

/** The CMDB's time travel across the whole topology: what changed between two instants. */
@Path("/api/cmdb/diff")
@Tag(name = "Configuration items")
@Produces(MediaType.APPLICATION_JSON)
public class DiffResource {

    @Inject
    TopologyDiff diff;

    @GET
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Operation(summary = "What changed in the CMDB between two instants", description = "CIs created, CI changes (who, source, each field "
            + "from → to) and relationships created or deleted in (from, to]; each list at most 10,000 entries.")
    @APIResponse(responseCode = "200", description = "The changes", content = @Content(schema = @Schema(implementation = TopologyDiff.Diff.class)))
    @APIResponse(responseCode = "400", description = "from or to missing or not an ISO-8601 instant, or to before from",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public TopologyDiff.Diff between(@QueryParam("from") @Parameter(description = "ISO-8601 instant, e.g. 2026-12-01T00:00:00Z", required = true) String from,
                                     @QueryParam("to") @Parameter(description = "ISO-8601 instant; default now") String to) {
        Instant start = QueryParams.instant("from", from);
        if (start == null) {
            throw ProblemException.invalid("from", "is required");
        }
        Instant end = QueryParams.instant("to", to);
        return diff.between(start, end == null ? Instant.now() : end);
    }
}
