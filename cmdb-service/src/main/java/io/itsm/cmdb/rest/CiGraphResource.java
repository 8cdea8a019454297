package io.itsm.cmdb.rest;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.itsm.cmdb.domain.RelationshipEventData;
import io.itsm.cmdb.domain.RelationshipType;
import io.itsm.cmdb.service.CiService;
import io.itsm.cmdb.service.ImpactAnalysis;
import io.itsm.cmdb.service.RelationshipService;
import io.itsm.rest.Problem;
import io.itsm.rest.ProblemException;
import io.itsm.rest.QueryParams;
import io.itsm.rest.Roles;
import io.itsm.rest.paging.PageRequest;
import io.itsm.rest.paging.PageResponses;

/** A CI's place in the graph: its relationships, and what its failure reaches. */
@Path("/api/cmdb/cis")
@Tag(name = "Configuration items")
@Produces(MediaType.APPLICATION_JSON)
public class CiGraphResource {

    @Inject
    ImpactAnalysis impact;

    @Inject
    RelationshipService relationships;

    @Inject
    CiService cis;

    @GET
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Path("/{id}/relationships")
    @Operation(summary = "List a CI's relationships", description = "Active relationships where the CI is source or target, oldest first; "
            + "type keeps those that read so from the CI: DEPENDS_ON where it depends on another, USED_BY where another depends on it. "
            + PageResponses.PAGED + " A relationship made "
            + "through another replica of the service shows within the event latency.")
    @APIResponse(responseCode = "200", description = "One page of relationships",
            headers = {@Header(name = "Link", description = PageResponses.NEXT_LINK),
                    @Header(name = "X-Total-Count", description = "All matching relationships, when count=true")},
            content = @Content(schema = @Schema(implementation = RelationshipEventData.View[].class)))
    @APIResponse(responseCode = "400", description = "A bad type, cursor or limit", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such CI", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response relationshipsOf(@PathParam("id") @Parameter(description = CiNumberPaths.ID_OR_NUMBER, example = "CI0010001") String id,
                                    @QueryParam("type") @Parameter(description = "Relationship types as read from the CI, names or inverse "
                                            + "names (repeat or comma-separate), e.g. USED_BY; default all") List<String> type,
                                    @BeanParam PageRequest page,
                                    @Context UriInfo uri) {
        List<RelationshipType.Named> types = RelationshipType.parseAll("type", type);
        return PageResponses.ok(relationships.of(id, types, page.cursor(), page.limit(), page.count())
                .map(RelationshipEventData.View::of), uri);
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Path("/{id}/impact")
    @Operation(summary = "What a CI's failure reaches (downstream), or what it needs (upstream)", description = "Every affected CI once, "
            + "with its distance and one shortest path of CI ids; cycles are handled. Downstream follows DEPENDS_ON, RUNS_ON, HOSTED_ON and "
            + "CONNECTS_TO from target to source, CONTAINS and MEMBER_OF from source to target; upstream the opposite.")
    @APIResponse(responseCode = "200", description = "The affected CIs", content = @Content(schema = @Schema(implementation = ImpactResource.ImpactView.class)))
    @APIResponse(responseCode = "400", description = "A bad direction, depth, type or limit", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such CI", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ImpactResource.ImpactView impactOf(@PathParam("id") @Parameter(description = CiNumberPaths.ID_OR_NUMBER, example = "CI0010001") String id,
                               @QueryParam("direction") @Parameter(description = "downstream (default) or upstream") String direction,
                               @QueryParam("depth") @Parameter(description = "1 … 10, default 3") String depth,
                               @QueryParam("types") @Parameter(description = "Relationship types to follow (repeat or comma-separate); default all") List<String> types,
                               @QueryParam("limit") @Parameter(description = "1 … 10000, default 1000") String limit,
                               @QueryParam("asOf") @Parameter(description = "Walk the topology as it was at this instant (ISO-8601, e.g. 2026-12-01T08:00:00Z); default now")
                               String asOf) {
        Instant at = QueryParams.instant("asOf", asOf);
        (at == null ? cis.find(id) : cis.findAsOf(id, at)).orElseThrow(() -> ProblemException.notFound("CI", id + (at == null ? "" : " at " + at)));
        return ImpactResource.analyse(impact, List.of(id), direction, QueryParams.integer("depth", depth, 1, ImpactAnalysis.MAX_DEPTH), types,
                QueryParams.integer("limit", limit, 1, ImpactResource.MAX_LIMIT), at);
    }
}
