package io.itsm.change.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.itsm.change.mapping.ChangeView;
import io.itsm.change.service.ChangeService;
import io.itsm.rest.EntityTags;
import io.itsm.rest.Problem;
import io.itsm.rest.ProblemException;

/** The change requests collection and its members. Maps HTTP to {@link ChangeService} and back. */
@Path("/api/changes")
@Tag(name = "Changes")
@Produces(MediaType.APPLICATION_JSON)
public class ChangeResource {

    @Inject
    ChangeService changes;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Raise a change request", description = "A created event is published on itsm.change.events.")
    @APIResponse(responseCode = "201", description = "Raised", content = @Content(schema = @Schema(implementation = ChangeView.class)))
    @APIResponse(responseCode = "400", description = "Invalid", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Impossible window", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response raise(@NotNull @Valid RaiseChangeRequest request) {
        ChangeView view = changes.raise(new ChangeService.RaiseChange(request.type(), request.shortDescription(),
                request.description(), request.requestedBy(), request.plannedStart(), request.plannedEnd()));
        return Response.created(URI.create("/api/changes/" + view.id())).tag(EntityTags.of(view.version())).entity(view).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a change request", description = "The ETag is the change's version; send it as If-Match when updating.")
    @APIResponse(responseCode = "200", description = "The change", content = @Content(schema = @Schema(implementation = ChangeView.class)))
    @APIResponse(responseCode = "404", description = "No such change", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response get(@PathParam("id") UUID id) {
        ChangeView view = changes.find(id).orElseThrow(() -> ProblemException.notFound("change", id));
        return Response.ok(view).tag(EntityTags.of(view.version())).build();
    }

    @GET
    @Operation(summary = "List change requests, newest first")
    @APIResponse(responseCode = "200", description = "Changes", content = @Content(schema = @Schema(implementation = ChangeView[].class)))
    public List<ChangeView> list(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return changes.newest(limit);
    }
}
