package io.itsm.incident.rest;

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

import io.itsm.incident.IncidentState;
import io.itsm.incident.mapping.IncidentInput;
import io.itsm.incident.mapping.IncidentView;
import io.itsm.incident.service.IncidentQueries;
import io.itsm.incident.service.IncidentQuery;
import io.itsm.incident.service.IncidentService;
import io.itsm.rest.EntityTags;
import io.itsm.rest.Problem;
import io.itsm.rest.Roles;
import io.itsm.rest.security.Callers;
import io.itsm.rest.ProblemException;
import io.itsm.rest.QueryParams;
import io.itsm.rest.idempotency.IdempotencyKeys;
import io.itsm.rest.paging.PageRequest;
import io.itsm.rest.paging.PageResponses;
import io.itsm.rest.patch.MergePatch;

/** The incidents collection and its members. Maps HTTP to {@link IncidentService} and back. */
@Path("/api/incidents")
@Tag(name = "Incidents")
@Produces(MediaType.APPLICATION_JSON)
public class IncidentResource {

    @Inject
    IncidentService incidents;

    @Inject
    IncidentQueries queries;

    @POST
    @RolesAllowed({Roles.AGENT, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Open an incident", description = "Priority is derived from impact and urgency; an assignee makes it IN_PROGRESS at once. "
            + "Publishes itsm.incident.created. With an Idempotency-Key, a retry with the same body returns the first response and creates nothing.")
    @APIResponse(responseCode = "201", description = "Opened (or, for a repeated Idempotency-Key, opened before)",
            headers = {@Header(name = "Location", description = "The new incident"), @Header(name = "ETag", description = "Its version")},
            content = @Content(schema = @Schema(implementation = IncidentView.class)))
    @APIResponse(responseCode = "400", description = "Invalid", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Names an unknown or retired CI or an impossible parent, or reuses an Idempotency-Key with another body",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response open(@Parameter(description = "Makes retries safe: same key and body → same response") @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey,
                         @RequestBody(content = @Content(schema = @Schema(implementation = IncidentInput.class), examples = @ExampleObject(name = "email outage",
                                 value = "{\"shortDescription\":\"Email is down for the finance team\",\"caller\":\"jane.doe\",\"impact\":2,\"urgency\":1,\"category\":\"software\"}")))
                         @NotNull @Valid IncidentInput request, @Context SecurityContext security) {
        IdempotencyKeys.Created created = incidents.open(request, idempotencyKey, Callers.of(security));
        return Response.status(created.status()).location(URI.create(created.location()))
                .tag(EntityTags.of(created.version())).type(MediaType.APPLICATION_JSON).entity(created.body()).build();
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Path("/{id}")
    @Operation(summary = "Get an incident", description = "The ETag is the incident's version; send it as If-Match when updating.")
    @APIResponse(responseCode = "200", description = "The incident", content = @Content(schema = @Schema(implementation = IncidentView.class)))
    @APIResponse(responseCode = "404", description = "No such incident", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response get(@PathParam("id") UUID id) {
        IncidentView view = incidents.find(id).orElseThrow(() -> ProblemException.notFound("incident", id));
        return Response.ok(view).tag(EntityTags.of(view.version())).build();
    }

    @PATCH
    @RolesAllowed({Roles.AGENT, Roles.ADMIN})
    @Path("/{id}")
    @Consumes({MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "Update an incident (JSON Merge Patch)", description = "Send only the fields to change; null removes a value. "
            + "Editable: the fields of IncidentInput. state, priority and the SLA are not editable. Assigning someone to a NEW incident moves it to "
            + "IN_PROGRESS; a new assignment group after the first counts as a reassignment; a new priority re-targets the SLA. "
            + "Publishes itsm.incident.assigned when the assignment changed, else itsm.incident.updated.")
    @APIResponse(responseCode = "200", description = "Updated; the ETag is the new version", content = @Content(schema = @Schema(implementation = IncidentView.class)))
    @APIResponse(responseCode = "400", description = "A read-only or unknown field, or the result is invalid", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such incident", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The incident is CLOSED or CANCELED", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "412", description = "If-Match is stale", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "An unknown or retired CI, or an impossible parent", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "428", description = "If-Match is missing", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response update(@PathParam("id") UUID id,
                           @Parameter(description = "The incident's current ETag", required = true) @HeaderParam("If-Match") String ifMatch,
                           @RequestBody(content = @Content(mediaType = MergePatch.MEDIA_TYPE, examples = @ExampleObject(name = "assign",
                                   value = "{\"assignmentGroup\":\"service-desk\",\"assignee\":\"sam.agent\"}"))) JsonNode patch,
                           @Context SecurityContext security) {
        IncidentView view = incidents.update(id, ifMatch, patch, Callers.of(security));
        return Response.ok(view).tag(EntityTags.of(view.version())).build();
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Operation(summary = "List incidents", description = "Filters combine with AND; repeat number, state or priority for any of several. "
            + "Sorted by sort (fields priority, openedAt, updatedAt, number; '-' for descending; default -openedAt). "
            + PageResponses.PAGED)
    @APIResponse(responseCode = "200", description = "One page of incidents",
            headers = {@Header(name = "Link", description = PageResponses.NEXT_LINK),
                    @Header(name = "X-Total-Count", description = "All matching incidents, when count=true")},
            content = @Content(schema = @Schema(implementation = IncidentView[].class)))
    @APIResponse(responseCode = "400", description = "A malformed filter, sort or cursor", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response list(@QueryParam("number") @Parameter(description = "Exact numbers (repeat or comma-separate), e.g. INC0010001") List<String> number,
                         @QueryParam("state") @Parameter(description = "NEW, IN_PROGRESS, ON_HOLD, RESOLVED, CLOSED, CANCELED") List<String> state,
                         @QueryParam("priority") @Parameter(description = "1 … 5") List<String> priority,
                         @QueryParam("assignmentGroup") String assignmentGroup,
                         @QueryParam("assignee") String assignee,
                         @QueryParam("caller") String caller,
                         @QueryParam("configurationItemId") @Parameter(schema = @Schema(format = "uuid")) String configurationItemId,
                         @QueryParam("majorIncident") @Parameter(schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.BOOLEAN)) String majorIncident,
                         @QueryParam("parentIncidentId") @Parameter(schema = @Schema(format = "uuid")) String parentIncidentId,
                         @QueryParam("openedAfter") @Parameter(description = "Opened at or after (ISO-8601)") String openedAfter,
                         @QueryParam("openedBefore") @Parameter(description = "Opened before (ISO-8601)") String openedBefore,
                         @QueryParam("slaBreached") @Parameter(description = "Response or resolution SLA breached") String slaBreached,
                         @QueryParam("q") @Parameter(description = "Text in number, short description or description") String q,
                         @QueryParam("sort") @Parameter(example = "priority,-openedAt") String sort,
                         @BeanParam PageRequest page,
                         @Context UriInfo uri) {
        IncidentQuery query = new IncidentQuery(QueryParams.numbers("number", number, "INC"), QueryParams.enums("state", state, IncidentState.class),
                priority == null ? List.of() : priority.stream().map(p -> QueryParams.integer("priority", p, 1, 5)).toList(),
                QueryParams.text(assignmentGroup), QueryParams.text(assignee), QueryParams.text(caller),
                QueryParams.uuid("configurationItemId", configurationItemId), QueryParams.bool("majorIncident", majorIncident),
                QueryParams.uuid("parentIncidentId", parentIncidentId), QueryParams.instant("openedAfter", openedAfter),
                QueryParams.instant("openedBefore", openedBefore), QueryParams.bool("slaBreached", slaBreached), QueryParams.text(q));
        return PageResponses.ok(queries.list(query, sort, page.cursor(), page.limit(), page.count()), uri);
    }
}
