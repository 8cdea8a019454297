package io.itsm.incident.rest;

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
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.itsm.incident.mapping.IncidentView;
import io.itsm.incident.service.IncidentService;
import io.itsm.rest.EntityTags;
import io.itsm.rest.Problem;
import io.itsm.rest.ProblemException;

/** The incidents collection and its members. Maps HTTP to {@link IncidentService} and back. */
@Path("/api/incidents")
@Tag(name = "Incidents")
@Produces(MediaType.APPLICATION_JSON)
public class IncidentResource {

    @Inject
    IncidentService incidents;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Open an incident", description = "Priority is derived from impact and urgency; a created event is published on itsm.incident.events.")
    @APIResponse(responseCode = "201", description = "Opened", content = @Content(schema = @Schema(implementation = IncidentView.class)))
    @APIResponse(responseCode = "400", description = "Invalid", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Names an unknown or retired CI", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response open(@NotNull @Valid OpenIncidentRequest request) {
        IncidentView view = incidents.open(new IncidentService.OpenIncident(request.shortDescription(),
                request.description(), request.caller(), request.impact(), request.urgency(), request.configurationItemIds()));
        return Response.created(URI.create("/api/incidents/" + view.id())).tag(EntityTags.of(view.version())).entity(view).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get an incident", description = "The ETag is the incident's version; send it as If-Match when updating.")
    @APIResponse(responseCode = "200", description = "The incident", content = @Content(schema = @Schema(implementation = IncidentView.class)))
    @APIResponse(responseCode = "404", description = "No such incident", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response get(@PathParam("id") UUID id) {
        IncidentView view = incidents.find(id).orElseThrow(() -> ProblemException.notFound("incident", id));
        return Response.ok(view).tag(EntityTags.of(view.version())).build();
    }

    @POST
    @Path("/{id}/transitions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Move an incident to another state", description = "Allowed: NEW → IN_PROGRESS, ON_HOLD, RESOLVED, CANCELED; "
            + "IN_PROGRESS → ON_HOLD, RESOLVED, CANCELED; ON_HOLD → IN_PROGRESS, RESOLVED, CANCELED; RESOLVED → CLOSED, IN_PROGRESS (reopen); "
            + "CLOSED and CANCELED are final. ON_HOLD needs onHoldReason; RESOLVED needs resolutionCode and resolutionNotes. "
            + "Publishes itsm.incident.resolved, .closed, .reopened or .state-changed on itsm.incident.events.")
    @APIResponse(responseCode = "200", description = "Moved; the ETag is the new version", headers = @Header(name = "ETag", description = "The incident's new version"),
            content = @Content(schema = @Schema(implementation = IncidentView.class)))
    @APIResponse(responseCode = "400", description = "Invalid or unknown target state, or a field the target state needs is missing", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such incident", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The transition is not allowed from the current state; the detail names the allowed next states", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "412", description = "If-Match does not name the current version (or a concurrent update won)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "428", description = "If-Match is missing", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response transition(@PathParam("id") UUID id,
                               @Parameter(description = "The incident's current ETag", required = true) @HeaderParam("If-Match") String ifMatch,
                               @NotNull @Valid TransitionRequest request) {
        IncidentView view = incidents.transition(id, ifMatch, request.to(), request.details());
        return Response.ok(view).tag(EntityTags.of(view.version())).build();
    }

    @GET
    @Path("/{id}/transitions")
    @Operation(summary = "List the states an incident may move to next", description = "Empty for a final state (CLOSED, CANCELED). The ETag is the incident's version.")
    @APIResponse(responseCode = "200", description = "Current state and allowed next states", content = @Content(schema = @Schema(implementation = AllowedTransitionsView.class)))
    @APIResponse(responseCode = "404", description = "No such incident", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response transitions(@PathParam("id") UUID id) {
        IncidentService.AllowedTransitions allowed = incidents.allowedTransitions(id)
                .orElseThrow(() -> ProblemException.notFound("incident", id));
        return Response.ok(new AllowedTransitionsView(allowed.current(), allowed.allowed()))
                .tag(EntityTags.of(allowed.version())).build();
    }

    @GET
    @Operation(summary = "List incidents, newest first")
    @APIResponse(responseCode = "200", description = "Incidents", content = @Content(schema = @Schema(implementation = IncidentView[].class)))
    public List<IncidentView> list(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return incidents.newest(limit);
    }
}
