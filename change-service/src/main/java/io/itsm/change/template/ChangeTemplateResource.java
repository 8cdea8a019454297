package io.itsm.change.template;

import java.net.URI;
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

import io.itsm.rest.EntityTags;
import io.itsm.rest.Problem;
import io.itsm.rest.QueryParams;
import io.itsm.rest.Roles;
import io.itsm.rest.paging.PageRequest;
import io.itsm.rest.paging.PageResponses;
import io.itsm.rest.patch.MergePatch;
import io.itsm.rest.security.Callers;

/** The standard-change catalogue. A STANDARD change is raised with {@code templateId} and is pre-approved. */
@Path("/api/changes/templates")
@Tag(name = "Changes")
@Produces(MediaType.APPLICATION_JSON)
public class ChangeTemplateResource {

    @Inject
    ChangeTemplateService templates;

    @POST
    @RolesAllowed({Roles.CHANGE_MANAGER, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Pre-approve a standard change", description = "Changes raised from the template (type STANDARD, templateId) "
            + "take its plans and CIs, skip ASSESS and AUTHORIZE, and may not deviate from them.")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = ChangeTemplateView.class)))
    @APIResponse(responseCode = "400", description = "Invalid", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The name is taken", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(@RequestBody(content = @Content(schema = @Schema(implementation = ChangeTemplateInput.class), examples = @ExampleObject(name = "os patch",
                                   value = "{\"name\":\"Monthly OS patch of a Linux web node\",\"shortDescription\":\"Apply the monthly OS patches\","
                                           + "\"implementationPlan\":\"Drain, dnf update, reboot, rejoin\",\"backoutPlan\":\"Boot the previous kernel\","
                                           + "\"testPlan\":\"Health check green for 10 minutes\",\"configurationItemIds\":[\"3f1c2a9e-5d6b-4c1e-9a7f-2b8d4e6f0a11\"]}")))
                           @NotNull @Valid ChangeTemplateInput input, @Context SecurityContext security) {
        ChangeTemplateView view = templates.create(input, Callers.of(security));
        return Response.created(URI.create("/api/changes/templates/" + view.id())).tag(EntityTags.of(view.version())).entity(view).build();
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Operation(summary = "List the standard-change catalogue", description = "Filters combine with AND; active=true for the usable "
            + "templates only. Sorted by sort (fields name, createdAt, updatedAt; '-' for descending; default name). "
            + PageResponses.PAGED)
    @APIResponse(responseCode = "200", description = "One page of templates",
            headers = {@Header(name = "Link", description = PageResponses.NEXT_LINK),
                    @Header(name = "X-Total-Count", description = "All matching templates, when count=true")},
            content = @Content(schema = @Schema(implementation = ChangeTemplateView[].class)))
    @APIResponse(responseCode = "400", description = "A malformed filter, sort or cursor", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response list(@QueryParam("active") @Parameter(schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.BOOLEAN)) String active,
                         @QueryParam("configurationItemId") @Parameter(description = "Only templates for this CI", schema = @Schema(format = "uuid")) String configurationItemId,
                         @QueryParam("q") @Parameter(description = "Text in the name or the short description", example = "patch") String q,
                         @QueryParam("sort") @Parameter(example = "-updatedAt") String sort,
                         @BeanParam PageRequest page,
                         @Context UriInfo uri) {
        return PageResponses.ok(templates.list(QueryParams.bool("active", active), QueryParams.uuid("configurationItemId", configurationItemId),
                QueryParams.text(q), sort, page.cursor(), page.limit(), page.count()), uri);
    }

    @GET
    @Path("/{templateId}")
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Operation(summary = "Get a standard-change template", description = "The template with its ETag (its version), for a later PATCH with If-Match.")
    @APIResponse(responseCode = "200", description = "The template", content = @Content(schema = @Schema(implementation = ChangeTemplateView.class)))
    @APIResponse(responseCode = "404", description = "No such template", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response get(@PathParam("templateId") UUID id) {
        ChangeTemplateView view = templates.find(id);
        return Response.ok(view).tag(EntityTags.of(view.version())).build();
    }

    @PATCH
    @Path("/{templateId}")
    @RolesAllowed({Roles.CHANGE_MANAGER, Roles.ADMIN})
    @Consumes({MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "Change or retire a standard-change template (JSON Merge Patch)", description = "{\"active\": false} retires it; "
            + "changes raised from it before keep what they were raised with.")
    @APIResponse(responseCode = "200", description = "Changed", content = @Content(schema = @Schema(implementation = ChangeTemplateView.class)))
    @APIResponse(responseCode = "400", description = "Invalid", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such template", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The name is taken", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "412", description = "If-Match is stale", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "428", description = "If-Match is missing", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response update(@PathParam("templateId") UUID id, @HeaderParam("If-Match") String ifMatch,
                           @RequestBody(content = @Content(mediaType = MergePatch.MEDIA_TYPE, examples = @ExampleObject(name = "retire",
                                   value = "{\"active\":false}"))) JsonNode patch) {
        ChangeTemplateView view = templates.update(id, ifMatch, patch);
        return Response.ok(view).tag(EntityTags.of(view.version())).build();
    }
}
