package io.itsm.cmdb.rest;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.itsm.cmdb.domain.ConfigurationItem;
import io.itsm.cmdb.service.CiService;
import io.itsm.rest.EntityTags;
import io.itsm.rest.Problem;
import io.itsm.rest.ProblemException;
import io.itsm.rest.Roles;

/** The configuration items collection and its members. Maps HTTP to {@link CiService} and back. */
@Path("/api/cmdb/cis")
@Tag(name = "Configuration items")
@Produces(MediaType.APPLICATION_JSON)
public class CiResource {

    @Inject
    CiService cis;

    @POST
    @RolesAllowed({Roles.AGENT, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a configuration item",
            description = "Numbers are assigned from CI0010001 on; an itsm.ci.created event is published on itsm.cmdb.events.")
    @APIResponse(responseCode = "201", description = "Created; Location names it, ETag is its version",
            content = @Content(schema = @Schema(implementation = ConfigurationItem.class)))
    @APIResponse(responseCode = "400", description = "Invalid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(@NotNull @Valid CreateCiRequest request) {
        ConfigurationItem ci = cis.create(request.toCommand());
        return Response.created(URI.create("/api/cmdb/cis/" + ci.id())).tag(EntityTags.of(ci.version())).entity(ci).build();
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Path("/{id}")
    @Operation(summary = "Get a configuration item", description = "The ETag is the CI's version; send it as If-Match when changing it.")
    @APIResponse(responseCode = "200", description = "The CI", content = @Content(schema = @Schema(implementation = ConfigurationItem.class)))
    @APIResponse(responseCode = "404", description = "No such CI",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response get(@PathParam("id") String id) {
        ConfigurationItem ci = cis.find(id).orElseThrow(() -> ProblemException.notFound("CI", id));
        return Response.ok(ci).tag(EntityTags.of(ci.version())).build();
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Operation(summary = "List configuration items, newest first", description = "Cursor paging and filters come later; limit caps the list.")
    @APIResponse(responseCode = "200", description = "CIs",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = ConfigurationItem.class)))
    @APIResponse(responseCode = "400", description = "limit out of range",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<ConfigurationItem> list(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return cis.newest(limit);
    }

    @POST
    @RolesAllowed({Roles.AGENT, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Path("/{id}/retire")
    @Operation(summary = "Retire a configuration item",
            description = "Sets status RETIRED; requires If-Match with the current ETag. Publishes itsm.ci.retired.")
    @APIResponse(responseCode = "200", description = "Retired; ETag is the new version",
            content = @Content(schema = @Schema(implementation = ConfigurationItem.class)))
    @APIResponse(responseCode = "404", description = "No such CI",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Already retired, or it still has relationships (see relationships=delete)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "412", description = "If-Match is not the current ETag",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "428", description = "If-Match missing",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response retire(@PathParam("id") String id,
                           @Parameter(description = "The CI's current ETag, e.g. \"0\"", required = true)
                           @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                           @Parameter(description = "delete: delete the CI's relationships first (each publishes itsm.relationship.deleted)")
                           @QueryParam("relationships") String relationships) {
        if (relationships != null && !relationships.equals("delete")) {
            throw ProblemException.invalid("relationships", "must be 'delete' when given");
        }
        ConfigurationItem ci = cis.retire(id, ifMatch, "delete".equals(relationships));
        return Response.ok(ci).tag(EntityTags.of(ci.version())).build();
    }
}
