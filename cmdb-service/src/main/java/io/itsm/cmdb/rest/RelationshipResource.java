package io.itsm.cmdb.rest;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.itsm.cmdb.domain.Relationship;
import io.itsm.cmdb.domain.RelationshipEventData;
import io.itsm.cmdb.service.HistoryEntry;
import io.itsm.cmdb.service.RelationshipService;
import io.itsm.rest.EntityTags;
import io.itsm.rest.Problem;
import io.itsm.rest.ProblemException;
import io.itsm.rest.Roles;
import io.itsm.rest.paging.PageRequest;
import io.itsm.rest.paging.PageResponses;
import io.itsm.rest.security.Callers;

/** Typed relationships between CIs. Maps HTTP to {@link RelationshipService} and back. */
@Path("/api/cmdb/relationships")
@Tag(name = "Configuration items")
@Produces(MediaType.APPLICATION_JSON)
public class RelationshipResource {

    @Inject
    RelationshipService relationships;

    /** The body of {@code POST /api/cmdb/relationships}. */
    @Schema(name = "RelationshipInput", description = "source TYPE target, e.g. app-01 RUNS_ON server-07")
    public record RelationshipInput(
            @NotBlank @Size(max = 64) @Schema(description = "Id of the source CI") String sourceId,
            @NotBlank @Size(max = 32) @Schema(description = "DEPENDS_ON, RUNS_ON, HOSTED_ON, CONTAINS, CONNECTS_TO, MEMBER_OF, or an inverse "
                    + "name (USED_BY, RUNS, HOSTS, CONTAINED_BY, CONNECTED_BY, HAS_MEMBER), which is stored as its type with the ends swapped",
                    example = "RUNS_ON") String type,
            @NotBlank @Size(max = 64) @Schema(description = "Id of the target CI") String targetId) {
    }

    @POST
    @RolesAllowed({Roles.AGENT, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Relate two CIs", description = "Both CIs must exist and not be retired; a CI cannot relate to itself; "
            + "the same edge exists at most once. Publishes itsm.relationship.created on itsm.cmdb.events.")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = RelationshipEventData.View.class)))
    @APIResponse(responseCode = "400", description = "Invalid, or an unknown type", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The edge exists already, or an end changed while it was being made (read them again and retry)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A self-loop, or an unknown or retired CI", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(@RequestBody(content = @Content(schema = @Schema(implementation = RelationshipInput.class), examples = @ExampleObject(name = "runs on",
                                   value = "{\"sourceId\":\"6b0f8d0e-1c2a-4f7e-9a55-3f1f2b6c9d10\",\"type\":\"RUNS_ON\",\"targetId\":\"0d9e3c4b-7a61-4b2f-8c3e-5a6b7c8d9e0f\"}")))
                           @NotNull @Valid RelationshipInput input, @Context SecurityContext security) {
        Relationship r = relationships.create(input.sourceId(), input.type(), input.targetId(), Callers.of(security).name());
        return Response.created(URI.create("/api/cmdb/relationships/" + r.id())).tag(EntityTags.of(r.version()))
                .entity(RelationshipEventData.View.of(r)).build();
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Path("/{id}")
    @Operation(summary = "Get a relationship", description = "Deleted relationships answer 404, saying when and by whom; their history stays.")
    @APIResponse(responseCode = "200", description = "The relationship", content = @Content(schema = @Schema(implementation = RelationshipEventData.View.class)))
    @APIResponse(responseCode = "404", description = "No such relationship", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response get(@PathParam("id") String id) {
        Relationship r = relationships.find(id).orElseThrow(() -> ProblemException.notFound("relationship", id));
        if (r.isDeleted()) {
            throw new ProblemException(404, "not-found", "Not found", "relationship " + id + " was deleted at " + r.deletedAt() + " by "
                    + r.deletedBy() + "; its history stays at GET /api/cmdb/relationships/" + id + "/history");
        }
        return Response.ok(RelationshipEventData.View.of(r)).tag(EntityTags.of(r.version())).build();
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Path("/{id}/history")
    @Operation(summary = "A relationship's history", description = "Its creation and, once deleted, its deletion: when, who and through "
            + "which source (api, an import source, or system for one taken back because its maker stopped before joining it to its "
            + "CIs). A deleted relationship's history stays. " + PageResponses.PAGED)
    @APIResponse(responseCode = "200", description = "One page of the history",
            headers = {@Header(name = "Link", description = PageResponses.NEXT_LINK),
                    @Header(name = "X-Total-Count", description = "All entries, when count=true")},
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = HistoryEntry.class)))
    @APIResponse(responseCode = "400", description = "A bad cursor or limit", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such relationship", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response history(@PathParam("id") String id, @BeanParam PageRequest page, @Context UriInfo uri) {
        return PageResponses.ok(relationships.history(id, page.cursor(), page.limit(), page.count()), uri);
    }

    @DELETE
    @RolesAllowed({Roles.AGENT, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Path("/{id}")
    @Operation(summary = "Delete a relationship", description = "Requires If-Match with its ETag. Publishes itsm.relationship.deleted; history keeps it.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such relationship", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Deleted already", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "412", description = "If-Match is stale", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "428", description = "If-Match is missing", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response delete(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @Context SecurityContext security) {
        relationships.delete(id, ifMatch, Callers.of(security).name());
        return Response.noContent().build();
    }
}
