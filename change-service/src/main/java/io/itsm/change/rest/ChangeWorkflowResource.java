package io.itsm.change.rest;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
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

import io.itsm.change.Conflict;
import io.itsm.change.history.ChangeJournal;
import io.itsm.change.mapping.ChangeView;
import io.itsm.change.service.ChangeGate;
import io.itsm.change.service.ChangeService;
import io.itsm.change.service.NextSlotFinder;
import io.itsm.rest.EntityTags;
import io.itsm.rest.Problem;
import io.itsm.rest.ProblemException;
import io.itsm.rest.QueryParams;
import io.itsm.rest.paging.PageRequest;
import io.itsm.rest.paging.PageResponses;
import io.itsm.rest.Roles;
import io.itsm.rest.security.Callers;

/** A change's way through its lifecycle: transitions, approvals, conflicts of its window, and its history. */
@Path("/api/changes/{id}")
@Tag(name = "Changes")
@Produces(MediaType.APPLICATION_JSON)
public class ChangeWorkflowResource {

    @Inject
    ChangeService changes;

    @Inject
    ChangeGate gate;


    @POST
    @Path("/transitions")
    @RolesAllowed({Roles.AGENT, Roles.CHANGE_MANAGER, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Move a change to another state", description = "NORMAL: NEW → ASSESS → AUTHORIZE → SCHEDULED → IMPLEMENT → REVIEW → CLOSED; "
            + "EMERGENCY: NEW → AUTHORIZE → SCHEDULED → …; STANDARD: NEW → SCHEDULED → …; CANCELED from any non-final state. "
            + "itsm-change-manager moves changes into ASSESS, AUTHORIZE and SCHEDULED (a STANDARD change is scheduled by its implementer). "
            + "Guards: AUTHORIZE needs the implementation, backout and test plans, CIs and a planned window; SCHEDULED needs the approvals "
            + "the policy requires and no unresolved conflict (or a conflictOverride by itsm-change-manager); CLOSED needs a closeCode, "
            + "and reviewNotes when UNSUCCESSFUL or EMERGENCY. Publishes itsm.change.scheduled, .implemented (into REVIEW), .closed or .state-changed.")
    @APIResponse(responseCode = "200", description = "Moved; the ETag is the new version", headers = @Header(name = "ETag", description = "The change's new version"),
            content = @Content(schema = @Schema(implementation = ChangeView.class)))
    @APIResponse(responseCode = "400", description = "Invalid or unknown target state", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "The caller's roles do not allow this step", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such change", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Not allowed from the current state (the detail names the allowed next states), or a guard fails (errors names what is missing)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "412", description = "If-Match does not name the current version", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "428", description = "If-Match is missing", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response transition(@PathParam("id") UUID id,
                               @Parameter(description = "The change's current ETag", required = true) @HeaderParam("If-Match") String ifMatch,
                               @RequestBody(content = @Content(schema = @Schema(implementation = ChangeTransitionRequest.class), examples = {
                                       @ExampleObject(name = "schedule", value = "{\"to\":\"SCHEDULED\"}"),
                                       @ExampleObject(name = "close", value = "{\"to\":\"CLOSED\",\"closeCode\":\"SUCCESSFUL\",\"closeNotes\":\"Mail flow verified\"}")}))
                               @NotNull @Valid ChangeTransitionRequest request, @Context SecurityContext security) {
        ChangeView view = changes.transition(id, ifMatch, request.to(), request.details(), Callers.of(security));
        return Response.ok(view).tag(EntityTags.of(view.version())).build();
    }

    @GET
    @Path("/transitions")
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Operation(summary = "List the states the caller may move a change to next", description = "Follows the change's type and the caller's roles; "
            + "guards are checked when moving. The ETag is the change's version.")
    @APIResponse(responseCode = "200", description = "Current state and allowed next states", content = @Content(schema = @Schema(implementation = AllowedTransitionsView.class)))
    @APIResponse(responseCode = "404", description = "No such change", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response transitions(@PathParam("id") UUID id, @Context SecurityContext security) {
        ChangeService.AllowedTransitions allowed = changes.allowedTransitions(id, Callers.of(security))
                .orElseThrow(() -> ProblemException.notFound("change", id));
        return Response.ok(new AllowedTransitionsView(allowed.current(), allowed.allowed())).tag(EntityTags.of(allowed.version())).build();
    }

    @POST
    @Path("/approvals")
    @RolesAllowed({Roles.CHANGE_MANAGER, Roles.CAB, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Approve or reject a change in AUTHORIZE", description = "The policy (itsm.change.approvals.*) says who must approve: "
            + "by default one itsm-change-manager for LOW risk, two itsm-cab for MODERATE and HIGH, two itsm-cab and one itsm-admin for VERY_HIGH, "
            + "one itsm-cab for an EMERGENCY change. One decision per approver and round; a rejection returns the change to NEW with the "
            + "comment as rejectionReason, and a new round starts when it is authorized again. Publishes itsm.change.approval-recorded. "
            + "No If-Match: approvers decide independently.")
    @APIResponse(responseCode = "200", description = "Recorded; the change with its approvals and approvalStatus", content = @Content(schema = @Schema(implementation = ChangeView.class)))
    @APIResponse(responseCode = "400", description = "Invalid decision", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "The approver holds none of the roles the policy asks for", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such change", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The change is not in AUTHORIZE, or the approver already decided in this round", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response decide(@PathParam("id") UUID id,
                           @RequestBody(content = @Content(schema = @Schema(implementation = ApprovalRequest.class), examples = {
                                   @ExampleObject(name = "approve", value = "{\"decision\":\"APPROVED\",\"comment\":\"Backout plan is sound\"}"),
                                   @ExampleObject(name = "reject", value = "{\"decision\":\"REJECTED\",\"comment\":\"Window overlaps month-end close\"}")}))
                           @NotNull @Valid ApprovalRequest request, @Context SecurityContext security) {
        ChangeView view = changes.decide(id, request.decision(), request.comment(), Callers.of(security));
        return Response.ok(view).tag(EntityTags.of(view.version())).build();
    }

    @GET
    @Path("/approvals")
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Operation(summary = "List a change's approval decisions", description = "Every decision of every round, oldest first (the audit trail).")
    @APIResponse(responseCode = "200", description = "The decisions", content = @Content(schema = @Schema(implementation = ChangeView.ApprovalView[].class)))
    @APIResponse(responseCode = "404", description = "No such change", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<ChangeView.ApprovalView> approvals(@PathParam("id") UUID id) {
        return changes.find(id).orElseThrow(() -> ProblemException.notFound("change", id)).approvals();
    }

    @GET
    @Path("/conflicts")
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Operation(summary = "List the conflicts of a change's planned window", description = "Evaluated now: every SCHEDULED or IMPLEMENT change "
            + "whose window overlaps and that touches one of the same CIs, and every blackout window on its CIs (or on all CIs) that overlaps. "
            + "Empty without a window or CIs.")
    @APIResponse(responseCode = "200", description = "The conflicts, in time order", content = @Content(schema = @Schema(implementation = Conflict[].class)))
    @APIResponse(responseCode = "404", description = "No such change", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<Conflict> conflicts(@PathParam("id") UUID id) {
        return changes.currentConflicts(id);
    }

    @GET
    @Path("/next-slot")
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Operation(summary = "Suggest the earliest conflict-free window", description = "Of the planned window's length, starting at or after "
            + "'after' (default now), within 90 days: no SCHEDULED or IMPLEMENT change on a shared CI and no blackout window on the change's CIs overlaps it.")
    @APIResponse(responseCode = "200", description = "The suggested window", content = @Content(schema = @Schema(implementation = NextSlotFinder.Slot.class)))
    @APIResponse(responseCode = "400", description = "A malformed 'after'", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such change", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The change has no planned window, or no window is free within 90 days", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public NextSlotFinder.Slot nextSlot(@PathParam("id") UUID id, @QueryParam("after") @Parameter(description = "ISO-8601; default now") String after) {
        return changes.nextSlot(id, QueryParams.instant("after", after));
    }

    @GET
    @Path("/gate")
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Operation(summary = "Ask whether a pipeline may deploy under this change now (CI/CD gate)", description = "GO only while the change is in "
            + "IMPLEMENT, inside its planned window, with no blackout window in force on its CIs, and with no new P1 incident on its CIs "
            + "since implementation started (itsm.change.gate.stop-on-priority); otherwise NO_GO with every reason. Always 200 for an existing change.")
    @APIResponse(responseCode = "200", description = "The decision", content = @Content(schema = @Schema(implementation = ChangeGate.Decision.class)))
    @APIResponse(responseCode = "404", description = "No such change", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ChangeGate.Decision gate(@PathParam("id") UUID id) {
        return gate.decide(id);
    }

    @GET
    @Path("/related-incidents")
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Operation(summary = "List the incidents this change may have caused", description = "Incidents opened on its CIs within "
            + "itsm.change.correlation.window (default 24 h) after its implementation, most likely first; each was also published as "
            + "itsm.change.incident-correlated.")
    @APIResponse(responseCode = "200", description = "The related incidents", content = @Content(schema = @Schema(implementation = RelatedIncidentView[].class)))
    @APIResponse(responseCode = "404", description = "No such change", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<RelatedIncidentView> relatedIncidents(@PathParam("id") UUID id) {
        return changes.relatedIncidents(id).stream().map(c -> new RelatedIncidentView(c.key.incidentId(), c.incidentNumber, c.distance, c.score, c.correlatedAt)).toList();
    }

    /** An incident a change may have caused. */
    @Schema(name = "RelatedIncident")
    public record RelatedIncidentView(UUID incidentId, @Schema(example = "INC0010042") String incidentNumber,
                                      @Schema(description = "CMDB hops between the CIs; 0 for a shared CI") int distance,
                                      @Schema(description = "Higher is more likely") double score, java.time.Instant correlatedAt) {
    }

    @GET
    @Path("/history")
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Operation(summary = "List every change of a change request", description = "Oldest first: who, when, which event, and each field "
            + "from → to. " + PageResponses.PAGED)
    @APIResponse(responseCode = "200", description = "One page of the history", headers = {@Header(name = "Link", description = PageResponses.NEXT_LINK),
            @Header(name = "X-Total-Count", description = "All changes, when count=true")},
            content = @Content(schema = @Schema(implementation = ChangeJournal.Change[].class)))
    @APIResponse(responseCode = "400", description = "A bad cursor or limit", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such change", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response history(@PathParam("id") UUID id,
                            @BeanParam PageRequest page,
                            @Context UriInfo uri) {
        return PageResponses.ok(changes.history(id, page.cursor(), page.limit(), page.count()), uri);
    }
}
