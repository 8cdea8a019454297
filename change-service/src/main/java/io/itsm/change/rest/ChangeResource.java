package io.itsm.change.rest;

import java.net.URI;
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

import io.itsm.change.ChangeState;
import io.itsm.change.ChangeType;
import io.itsm.change.RiskLevel;
import io.itsm.change.mapping.ChangeInput;
import io.itsm.change.mapping.ChangeView;
import io.itsm.change.service.ChangeQueries;
import io.itsm.change.service.ChangeQuery;
import io.itsm.change.service.ChangeService;
import io.itsm.rest.EntityTags;
import io.itsm.rest.Problem;
import io.itsm.rest.ProblemException;
import io.itsm.rest.QueryParams;
import io.itsm.rest.Roles;
import io.itsm.rest.idempotency.IdempotencyKeys;
import io.itsm.rest.paging.PageRequest;
import io.itsm.rest.paging.PageResponses;
import io.itsm.rest.patch.MergePatch;
import io.itsm.rest.security.Callers;

/** The change requests collection and its members. Maps HTTP to {@link ChangeService} and back. */
@Path("/api/changes")
@Tag(name = "Changes")
@Produces(MediaType.APPLICATION_JSON)
public class ChangeResource {

    @Inject
    ChangeService changes;

    @Inject
    ChangeQueries queries;

    @POST
    @RolesAllowed({Roles.AGENT, Roles.CHANGE_MANAGER, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Raise a change request", description = "NORMAL or EMERGENCY; the change starts in NEW with its risk assessed "
            + "(riskFactors explain the score). Publishes itsm.change.created. With an Idempotency-Key, a retry with the same body "
            + "returns the first response and creates nothing.")
    @APIResponse(responseCode = "201", description = "Raised (or, for a repeated Idempotency-Key, raised before)",
            headers = {@Header(name = "Location", description = "The new change"), @Header(name = "ETag", description = "Its version")},
            content = @Content(schema = @Schema(implementation = ChangeView.class)))
    @APIResponse(responseCode = "400", description = "Invalid", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A window that ends before it starts, a STANDARD change without a template, "
            + "or an Idempotency-Key reused with another body", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response raise(@Parameter(description = "Makes retries safe: same key and body → same response") @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey,
                          @RequestBody(content = @Content(schema = @Schema(implementation = ChangeInput.class), examples = @ExampleObject(name = "patch mail",
                                  value = "{\"type\":\"NORMAL\",\"shortDescription\":\"Patch the mail cluster to 15.2\",\"implementationPlan\":\"Drain node 1, patch, rejoin; then node 2\","
                                          + "\"backoutPlan\":\"Reinstall 15.1 from the snapshot\",\"testPlan\":\"Send a test mail through each node\","
                                          + "\"plannedStart\":\"2026-12-05T22:00:00Z\",\"plannedEnd\":\"2026-12-05T23:30:00Z\"}")))
                          @NotNull @Valid ChangeInput request, @Context SecurityContext security) {
        IdempotencyKeys.Created created = changes.open(request, idempotencyKey, Callers.of(security));
        return Response.status(created.status()).location(URI.create(created.location()))
                .tag(EntityTags.of(created.version())).type(MediaType.APPLICATION_JSON).entity(created.body()).build();
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Path("/{id}")
    @Operation(summary = "Get a change request", description = "The ETag is the change's version; send it as If-Match when updating.")
    @APIResponse(responseCode = "200", description = "The change", content = @Content(schema = @Schema(implementation = ChangeView.class)))
    @APIResponse(responseCode = "404", description = "No such change", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response get(@PathParam("id") UUID id) {
        ChangeView view = changes.find(id).orElseThrow(() -> ProblemException.notFound("change", id));
        return Response.ok(view).tag(EntityTags.of(view.version())).build();
    }

    @PATCH
    @RolesAllowed({Roles.AGENT, Roles.CHANGE_MANAGER, Roles.ADMIN})
    @Path("/{id}")
    @Consumes({MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "Update a change request (JSON Merge Patch)", description = "Send only the fields to change; null removes a value. "
            + "Editable: the fields of ChangeInput except type. Plans, CIs and the window are frozen once implementation starts. "
            + "Publishes itsm.change.updated, then itsm.change.risk-changed when the risk moved and itsm.change.conflict-detected when "
            + "the new window or scope conflicts with scheduled changes.")
    @APIResponse(responseCode = "200", description = "Updated; the ETag is the new version", content = @Content(schema = @Schema(implementation = ChangeView.class)))
    @APIResponse(responseCode = "400", description = "A read-only or unknown field, or the result is invalid", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such change", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The change is final, or its scope is frozen", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "412", description = "If-Match is stale", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The window ends before it starts", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "428", description = "If-Match is missing", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response update(@PathParam("id") UUID id,
                           @Parameter(description = "The change's current ETag", required = true) @HeaderParam("If-Match") String ifMatch,
                           @RequestBody(content = @Content(mediaType = MergePatch.MEDIA_TYPE, examples = @ExampleObject(name = "move window",
                                   value = "{\"plannedStart\":\"2026-12-06T22:00:00Z\",\"plannedEnd\":\"2026-12-06T23:30:00Z\"}"))) JsonNode patch,
                           @Context SecurityContext security) {
        ChangeView view = changes.update(id, ifMatch, patch, Callers.of(security));
        return Response.ok(view).tag(EntityTags.of(view.version())).build();
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Operation(summary = "List change requests", description = "Filters combine with AND; repeat number, state, type or risk for any of several. "
            + "Sorted by sort (fields createdAt, updatedAt, riskScore, number; '-' for descending; default -createdAt). "
            + PageResponses.PAGED)
    @APIResponse(responseCode = "200", description = "One page of changes",
            headers = {@Header(name = "Link", description = PageResponses.NEXT_LINK),
                    @Header(name = "X-Total-Count", description = "All matching changes, when count=true")},
            content = @Content(schema = @Schema(implementation = ChangeView[].class)))
    @APIResponse(responseCode = "400", description = "A malformed filter, sort or cursor", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response list(@QueryParam("number") @Parameter(description = "Exact numbers (repeat or comma-separate), e.g. CHG0010001") List<String> number,
                         @QueryParam("state") @Parameter(description = "NEW, ASSESS, AUTHORIZE, SCHEDULED, IMPLEMENT, REVIEW, CLOSED, CANCELED") List<String> state,
                         @QueryParam("type") @Parameter(description = "STANDARD, NORMAL, EMERGENCY") List<String> type,
                         @QueryParam("risk") @Parameter(description = "LOW, MODERATE, HIGH, VERY_HIGH") List<String> risk,
                         @QueryParam("assignmentGroup") String assignmentGroup,
                         @QueryParam("assignee") String assignee,
                         @QueryParam("requestedBy") String requestedBy,
                         @QueryParam("configurationItemId") @Parameter(schema = @Schema(format = "uuid")) String configurationItemId,
                         @QueryParam("plannedStartAfter") @Parameter(description = "Planned start at or after (ISO-8601)") String plannedStartAfter,
                         @QueryParam("plannedStartBefore") @Parameter(description = "Planned start before (ISO-8601)") String plannedStartBefore,
                         @QueryParam("q") @Parameter(description = "Text in number, short description or description") String q,
                         @QueryParam("sort") @Parameter(example = "-riskScore,createdAt") String sort,
                         @BeanParam PageRequest page,
                         @Context UriInfo uri) {
        ChangeQuery query = new ChangeQuery(QueryParams.numbers("number", number, "CHG"), QueryParams.enums("state", state, ChangeState.class), QueryParams.enums("type", type, ChangeType.class),
                QueryParams.enums("risk", risk, RiskLevel.class), QueryParams.text(assignmentGroup), QueryParams.text(assignee),
                QueryParams.text(requestedBy), QueryParams.uuid("configurationItemId", configurationItemId),
                QueryParams.instant("plannedStartAfter", plannedStartAfter), QueryParams.instant("plannedStartBefore", plannedStartBefore),
                QueryParams.text(q));
        return PageResponses.ok(queries.list(query, sort, page.cursor(), page.limit(), page.count()), uri);
    }
}
