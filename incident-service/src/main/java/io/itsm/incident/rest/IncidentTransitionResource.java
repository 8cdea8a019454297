package io.itsm.incident.rest;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.itsm.incident.mapping.IncidentView;
import io.itsm.incident.service.IncidentService;
import io.itsm.rest.EntityTags;
import io.itsm.rest.Problem;
import io.itsm.rest.Roles;
import io.itsm.rest.security.Callers;
import io.itsm.rest.ProblemException;

/** An incident's state changes: the allowed next states, and the transition itself. */
@Path("/api/incidents/{id}/transitions")
@Tag(name = "Incidents")
@Produces(MediaType.APPLICATION_JSON)
public class IncidentTransitionResource {

    @Inject
    IncidentService incidents;

    @POST
    @RolesAllowed({Roles.AGENT, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Move an incident to another state", description = "Allowed: NEW → IN_PROGRESS, ON_HOLD, RESOLVED, CANCELED; "
            + "IN_PROGRESS → ON_HOLD, RESOLVED, CANCELED; ON_HOLD → IN_PROGRESS, RESOLVED, CANCELED; RESOLVED → CLOSED, IN_PROGRESS (reopen); "
            + "CLOSED and CANCELED are final. ON_HOLD needs onHoldReason; RESOLVED needs resolutionCode and resolutionNotes. "
            + "Only itsm-admin may cancel a major incident. Resolved incidents close themselves after itsm.incident.auto-close-after. "
            + "Publishes itsm.incident.resolved, .closed, .reopened or .state-changed on itsm.incident.events.")
    @APIResponse(responseCode = "200", description = "Moved; the ETag is the new version", headers = @Header(name = "ETag", description = "The incident's new version"),
            content = @Content(schema = @Schema(implementation = IncidentView.class)))
    @APIResponse(responseCode = "400", description = "Invalid or unknown target state, or a field the target state needs is missing", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "Canceling a major incident needs itsm-admin", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such incident", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The transition is not allowed from the current state; the detail names the allowed next states", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "412", description = "If-Match does not name the current version (or a concurrent update won)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "428", description = "If-Match is missing", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response transition(@PathParam("id") UUID id,
                               @Parameter(description = "The incident's current ETag", required = true) @HeaderParam("If-Match") String ifMatch,
                               @RequestBody(content = @Content(schema = @Schema(implementation = TransitionRequest.class), examples = {
                                       @ExampleObject(name = "resolve", value = "{\"to\":\"RESOLVED\",\"resolutionCode\":\"SOLUTION_PROVIDED\",\"resolutionNotes\":\"Restarted the mail gateway\"}"),
                                       @ExampleObject(name = "hold", value = "{\"to\":\"ON_HOLD\",\"onHoldReason\":\"AWAITING_CALLER\"}")}))
                               @NotNull @Valid TransitionRequest request, @Context SecurityContext security) {
        IncidentView view = incidents.transition(id, ifMatch, request.to(), request.details(),
                Boolean.TRUE.equals(request.resolveChildren()), Callers.of(security));
        return Response.ok(view).tag(EntityTags.of(view.version())).build();
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Operation(summary = "List the states an incident may move to next", description = "Empty for a final state (CLOSED, CANCELED). The ETag is the incident's version.")
    @APIResponse(responseCode = "200", description = "Current state and allowed next states", content = @Content(schema = @Schema(implementation = AllowedTransitionsView.class)))
    @APIResponse(responseCode = "404", description = "No such incident", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response transitions(@PathParam("id") UUID id) {
        IncidentService.AllowedTransitions allowed = incidents.allowedTransitions(id)
                .orElseThrow(() -> ProblemException.notFound("incident", id));
        return Response.ok(new AllowedTransitionsView(allowed.current(), allowed.allowed()))
                .tag(EntityTags.of(allowed.version())).build();
    }
}
