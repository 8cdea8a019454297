package io.itsm.cmdb.rest;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.itsm.cmdb.domain.RelationshipType;
import io.itsm.cmdb.service.ImpactAnalysis;
import io.itsm.rest.Problem;
import io.itsm.rest.ProblemException;
import io.itsm.rest.Roles;

/** Impact analysis from a set of CIs, e.g. the scope of a change; the walk itself is {@link ImpactAnalysis}. */
@Path("/api/cmdb/impact")
@Tag(name = "Configuration items")
@Produces(MediaType.APPLICATION_JSON)
public class ImpactResource {

    static final int DEFAULT_DEPTH = 3;
    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;

    @Inject
    ImpactAnalysis impact;

    /** The answer of an impact analysis. */
    @Schema(name = "ImpactAnalysis")
    public record ImpactView(String direction, int depth,
                             @Schema(description = "The instant whose topology was walked; null: now") java.time.Instant asOf,
                             @Schema(description = "Nearest first") List<ImpactAnalysis.Affected> affected,
                             @Schema(description = "More CIs were affected than limit") boolean truncated) {
    }

    /** The body of {@code POST /api/cmdb/impact}. */
    @Schema(name = "ImpactRequest")
    public record ImpactRequest(@NotEmpty @Size(max = 1000) List<@NotNull String> ciIds,
                                @Schema(description = "downstream (default) or upstream") String direction,
                                @Schema(description = "1 … 10, default 3") Integer depth,
                                @Schema(description = "Relationship types to follow; default all") List<String> types,
                                @Schema(description = "1 … 10000, default 1000") Integer limit,
                                @Schema(description = "Walk the topology as it was at this instant (ISO-8601); default now") java.time.Instant asOf) {
    }

    @POST
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "What the failure of a set of CIs reaches", description = "As GET /api/cmdb/cis/{id}/impact, from several CIs at once "
            + "(e.g. the CIs in scope of a change); unknown ids reach nothing.")
    @APIResponse(responseCode = "200", description = "The affected CIs", content = @Content(schema = @Schema(implementation = ImpactView.class)))
    @APIResponse(responseCode = "400", description = "Invalid", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ImpactView impactOfSet(@RequestBody(content = @Content(schema = @Schema(implementation = ImpactRequest.class), examples = @ExampleObject(name = "change scope",
                                          value = "{\"ciIds\":[\"0d9e3c4b-7a61-4b2f-8c3e-5a6b7c8d9e0f\"],\"direction\":\"downstream\",\"depth\":6}")))
                                  @NotNull @Valid ImpactRequest request) {
        if (request.depth() != null && (request.depth() < 1 || request.depth() > ImpactAnalysis.MAX_DEPTH)) {
            throw ProblemException.invalid("depth", "must be between 1 and " + ImpactAnalysis.MAX_DEPTH);
        }
        if (request.limit() != null && (request.limit() < 1 || request.limit() > MAX_LIMIT)) {
            throw ProblemException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return analyse(impact, request.ciIds(), request.direction(), request.depth(), request.types(), request.limit(), request.asOf());
    }

    static ImpactView analyse(ImpactAnalysis impact, List<String> ids, String direction, Integer depth, List<String> types, Integer limit,
                              java.time.Instant asOf) {
        ImpactAnalysis.Direction dir;
        if (direction == null || direction.isBlank()) {
            dir = ImpactAnalysis.Direction.DOWNSTREAM;
        } else {
            try {
                dir = ImpactAnalysis.Direction.valueOf(direction.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("direction", "must be downstream or upstream");
            }
        }
        Set<RelationshipType> along = EnumSet.noneOf(RelationshipType.class);
        if (types != null) {
            RelationshipType.parseAll("types", types).forEach(named -> along.add(named.type()));
        }
        int d = depth == null ? DEFAULT_DEPTH : depth;
        ImpactAnalysis.Result result = impact.analyse(ids, dir, d, along, limit == null ? DEFAULT_LIMIT : limit, asOf);
        return new ImpactView(dir.name().toLowerCase(Locale.ROOT), d, asOf, result.affected(), result.truncated());
    }
}
