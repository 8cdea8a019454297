package io.itsm.change.blackout;

import java.net.URI;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import io.itsm.rest.EntityTags;
import io.itsm.rest.Problem;
import io.itsm.rest.QueryParams;
import io.itsm.rest.Roles;
import io.itsm.rest.paging.PageRequest;
import io.itsm.rest.paging.PageResponses;
import io.itsm.rest.patch.MergePatch;
import io.itsm.rest.security.Callers;

/** Blackout (change freeze) windows. Changes planned into one conflict with it. */
@Path("/api/changes/blackout-windows")
@Tag(name = "Changes")
@Produces(MediaType.APPLICATION_JSON)
public class BlackoutWindowResource {

    @Inject
    BlackoutWindowService windows;

    @POST
    @RolesAllowed({Roles.CHANGE_MANAGER, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Declare a blackout window", description = "Open changes planned into it gain a BLACKOUT conflict "
            + "(itsm.change.conflict-detected); scheduling into it then needs a conflictOverride by itsm-change-manager.")
    @APIResponse(responseCode = "201", description = "Declared", content = @Content(schema = @Schema(implementation = BlackoutWindowView.class)))
    @APIResponse(responseCode = "400", description = "Invalid", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Ends before it starts", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(@RequestBody(content = @Content(schema = @Schema(implementation = BlackoutWindowInput.class), examples = @ExampleObject(name = "year end",
                                   value = "{\"name\":\"Year-end freeze\",\"startsAt\":\"2026-12-20T00:00:00Z\",\"endsAt\":\"2027-01-04T00:00:00Z\"}")))
                           @NotNull @Valid BlackoutWindowInput input, @Context SecurityContext security) {
        BlackoutWindowView view = windows.create(input, Callers.of(security));
        return Response.created(URI.create("/api/changes/blackout-windows/" + view.id())).tag(EntityTags.of(view.version())).entity(view).build();
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Operation(summary = "List blackout windows", description = "Filters combine with AND. Sorted by sort (fields startsAt, endsAt, name, "
            + "createdAt; '-' for descending; default startsAt, soonest first). " + PageResponses.PAGED)
    @APIResponse(responseCode = "200", description = "One page of windows",
            headers = {@Header(name = "Link", description = PageResponses.NEXT_LINK),
                    @Header(name = "X-Total-Count", description = "All matching windows, when count=true")},
            content = @Content(schema = @Schema(implementation = BlackoutWindowView[].class)))
    @APIResponse(responseCode = "400", description = "A malformed filter, sort or cursor", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response list(@QueryParam("endingAfter") @Parameter(description = "Only windows that end after this instant (ISO-8601): "
                                 + "the current and coming ones with now", example = "2026-12-01T00:00:00Z") String endingAfter,
                         @QueryParam("configurationItemId") @Parameter(description = "Only windows that cover this CI: those that name it "
                                 + "and those that name no CI (they cover every CI)", schema = @Schema(format = "uuid")) String configurationItemId,
                         @QueryParam("q") @Parameter(description = "Text in the name or the description") String q,
                         @QueryParam("sort") @Parameter(example = "-startsAt") String sort,
                         @BeanParam PageRequest page,
                         @Context UriInfo uri) {
        return PageResponses.ok(windows.list(QueryParams.instant("endingAfter", endingAfter), QueryParams.uuid("configurationItemId", configurationItemId),
                QueryParams.text(q), sort, page.cursor(), page.limit(), page.count()), uri);
    }

    @GET
    @Path("/{windowId}")
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Operation(summary = "Get a blackout window", description = "The window with its ETag (its version), for a later PATCH or DELETE with If-Match.")
    @APIResponse(responseCode = "200", description = "The window", content = @Content(schema = @Schema(implementation = BlackoutWindowView.class)))
    @APIResponse(responseCode = "404", description = "No such window", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response get(@PathParam("windowId") UUID id) {
        BlackoutWindowView view = windows.find(id);
        return Response.ok(view).tag(EntityTags.of(view.version())).build();
    }

    @PATCH
    @Path("/{windowId}")
    @RolesAllowed({Roles.CHANGE_MANAGER, Roles.ADMIN})
    @Consumes({MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "Change a blackout window (JSON Merge Patch)", description = "Re-evaluates the conflicts of the changes planned in the old and the new period.")
    @APIResponse(responseCode = "200", description = "Changed", content = @Content(schema = @Schema(implementation = BlackoutWindowView.class)))
    @APIResponse(responseCode = "400", description = "Invalid", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such window", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "412", description = "If-Match is stale", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Ends before it starts", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "428", description = "If-Match is missing", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response update(@PathParam("windowId") UUID id, @HeaderParam("If-Match") String ifMatch,
                           @RequestBody(content = @Content(mediaType = MergePatch.MEDIA_TYPE, examples = @ExampleObject(name = "extend",
                                   value = "{\"endsAt\":\"2027-01-06T00:00:00Z\"}"))) JsonNode patch,
                           @Context SecurityContext security) {
        BlackoutWindowView view = windows.update(id, ifMatch, patch, Callers.of(security));
        return Response.ok(view).tag(EntityTags.of(view.version())).build();
    }

    @DELETE
    @Path("/{windowId}")
    @RolesAllowed({Roles.CHANGE_MANAGER, Roles.ADMIN})
    @Operation(summary = "Lift a blackout window", description = "Changes planned in it lose its conflict.")
    @APIResponse(responseCode = "204", description = "Lifted")
    @APIResponse(responseCode = "404", description = "No such window", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "412", description = "If-Match is stale", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "428", description = "If-Match is missing", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response delete(@PathParam("windowId") UUID id, @HeaderParam("If-Match") String ifMatch, @Context SecurityContext security) {
        windows.delete(id, ifMatch, Callers.of(security));
        return Response.noContent().build();
    }
}
