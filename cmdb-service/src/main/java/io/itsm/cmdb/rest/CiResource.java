package io.itsm.cmdb.rest;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import io.itsm.cmdb.domain.ConfigurationItem;
import io.itsm.cmdb.service.HistoryEntry;
import io.itsm.cmdb.domain.CiStatus;
import io.itsm.cmdb.domain.Environment;
import io.itsm.cmdb.service.CiInput;
import io.itsm.cmdb.service.CiQuery;
import io.itsm.cmdb.service.CiService;
import io.itsm.rest.EntityTags;
import io.itsm.rest.Problem;
import io.itsm.rest.ProblemException;
import io.itsm.rest.QueryParams;
import io.itsm.rest.Roles;
import io.itsm.rest.query.QueryParameterPrefix;
import io.itsm.rest.paging.PageRequest;
import io.itsm.rest.paging.PageResponses;
import io.itsm.rest.idempotency.IdempotencyKeys;
import io.itsm.rest.patch.MergePatch;
import io.itsm.rest.security.Callers;

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
            description = "Numbers are assigned from CI0010001 on; an itsm.ci.created event is published on itsm.cmdb.events. With an "
                    + "Idempotency-Key, a retry with the same body answers the CI as it was created and creates nothing; another body gets 422.")
    @APIResponse(responseCode = "201", description = "Created; Location names it, ETag is its version",
            content = @Content(schema = @Schema(implementation = ConfigurationItem.class)))
    @APIResponse(responseCode = "400", description = "Invalid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Unknown class, or an Idempotency-Key used before with another body",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(@Parameter(description = "Makes retries safe: the same key and body answer the first response and create nothing")
                           @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey,
                           @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "a linux server",
                                   value = "{\"ciClass\":\"linux_server\",\"name\":\"mail-01\",\"status\":\"INSTALLED\",\"environment\":\"PRODUCTION\",\"criticality\":1,"
                                           + "\"owner\":\"jane.doe\",\"supportGroup\":\"linux-ops\",\"attributes\":{\"hostname\":\"mail-01\",\"domain\":\"example.com\",\"cpu\":8}}")))
                           @NotNull @Valid CiInput request, @Context SecurityContext security) {
        ConfigurationItem ci = cis.create(request, Callers.of(security).name(), CiService.API_SOURCE, idempotencyKey).ci();
        return Response.created(URI.create("/api/cmdb/cis/" + ci.id())).tag(EntityTags.of(ci.version())).entity(ci).build();
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Path("/{id}")
    @Operation(summary = "Get a configuration item, now or as it was", description = "The ETag is the CI's version; send it as If-Match when "
            + "changing it. With asOf, the CI as it was at that instant (404 when it did not exist yet).")
    @APIResponse(responseCode = "200", description = "The CI", content = @Content(schema = @Schema(implementation = ConfigurationItem.class)))
    @APIResponse(responseCode = "400", description = "asOf is not an ISO-8601 instant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such CI (at asOf)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response get(@PathParam("id") @Parameter(description = CiNumberPaths.ID_OR_NUMBER, example = "CI0010001") String id,
                        @QueryParam("asOf") @Parameter(description = "An instant (ISO-8601, e.g. 2026-12-01T08:00:00Z): the CI as it was then")
                        String asOf) {
        Instant at = QueryParams.instant("asOf", asOf);
        ConfigurationItem ci = (at == null ? cis.find(id) : cis.findAsOf(id, at)).orElseThrow(() -> cis.absent(id, at));
        return Response.ok(ci).tag(EntityTags.of(ci.version())).build();
    }

    @PATCH
    @RolesAllowed({Roles.AGENT, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Path("/{id}")
    @Consumes({MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "Update a configuration item (JSON Merge Patch)", description = "Send only what changes; null removes a value; "
            + "attributes merge key by key ({\"attributes\": {\"cpu\": 16, \"legacyId\": null}}). The result is checked like a new CI "
            + "(class schema included). Publishes itsm.ci.updated with each changed field; a patch that changes nothing changes no version.")
    @APIResponse(responseCode = "200", description = "Updated; ETag is the new version",
            content = @Content(schema = @Schema(implementation = ConfigurationItem.class)))
    @APIResponse(responseCode = "400", description = "A read-only or unknown field, or an invalid result",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such CI",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The CI is retired, or a new class while it has relationships",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "412", description = "If-Match is not the current ETag",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Unknown class",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "428", description = "If-Match missing",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response update(@PathParam("id") @Parameter(description = CiNumberPaths.ID_OR_NUMBER, example = "CI0010001") String id,
                           @Parameter(description = "The CI's current ETag, e.g. \"0\"", required = true) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                           @RequestBody(content = @Content(mediaType = MergePatch.MEDIA_TYPE, examples = @ExampleObject(name = "more memory",
                                   value = "{\"attributes\": {\"ramGb\": 64}, \"supportGroup\": \"linux-ops\"}")))
                           @NotNull JsonNode patch, @Context SecurityContext security) {
        ConfigurationItem ci = cis.update(id, ifMatch, patch, Callers.of(security).name());
        return Response.ok(ci).tag(EntityTags.of(ci.version())).build();
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Path("/{id}/history")
    @Operation(summary = "A configuration item's history", description = "Every version, oldest first: when, who, through which source "
            + "(api, an import source, change-service) and each changed field from → to. A CI that imports "
            + "keep updating has a long history: " + PageResponses.PAGED)
    @APIResponse(responseCode = "200", description = "One page of the history",
            headers = {@Header(name = "Link", description = PageResponses.NEXT_LINK),
                    @Header(name = "X-Total-Count", description = "All versions, when count=true")},
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = HistoryEntry.class)))
    @APIResponse(responseCode = "400", description = "A bad cursor or limit", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such CI",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response history(@PathParam("id") @Parameter(description = CiNumberPaths.ID_OR_NUMBER, example = "CI0010001") String id,
                            @BeanParam PageRequest page,
                            @Context UriInfo uri) {
        return PageResponses.ok(cis.history(id, page.cursor(), page.limit(), page.count()), uri);
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Operation(summary = "List configuration items", description = "Filters combine with AND: number (exact), class (with its subclasses), status, "
            + "environment, criticality (each repeatable or comma-separated), owner, supportGroup, attribute equality as attr.<name>=<value> "
            + "(the value matches as text, and as the number or boolean it reads as), q (part of the name or number, any case). Newest first "
            + "unless sort says otherwise; cursor paging with Link rel=\"next\"; X-Total-Count with count=true.")
    @APIResponse(responseCode = "200", description = "A page of CIs",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = ConfigurationItem.class)))
    @APIResponse(responseCode = "400", description = "A bad filter, sort, cursor or limit",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @QueryParameterPrefix("attr.")
    public Response list(@QueryParam("number") @Parameter(description = "Exact numbers (repeat or comma-separate), e.g. CI0010001") List<String> number,
                         @QueryParam("ciClass") @Parameter(description = "A class; its subclasses' CIs are included", example = "server") String ciClass,
                         @QueryParam("status") @Parameter(description = "PLANNED, INSTALLED, IN_MAINTENANCE, RETIRED") List<String> status,
                         @QueryParam("environment") @Parameter(description = "PRODUCTION, STAGING, TEST, DEVELOPMENT") List<String> environment,
                         @QueryParam("criticality") @Parameter(description = "1 … 4") List<String> criticality,
                         @QueryParam("owner") String owner,
                         @QueryParam("supportGroup") String supportGroup,
                         @QueryParam("q") @Parameter(description = "Part of the name or number, any case") String q,
                         @QueryParam("sort") @Parameter(description = "number, name, criticality, createdAt, updatedAt; '-' for descending",
                                 example = "criticality,-updatedAt") String sort,
                         @BeanParam PageRequest page,
                         @Context UriInfo uri) {
        Map<String, String> attributes = new java.util.LinkedHashMap<>();
        uri.getQueryParameters().forEach((name, values) -> {
            if (name.startsWith("attr.")) {
                String attribute = name.substring("attr.".length());
                if (!attribute.matches("[A-Za-z_][A-Za-z0-9_-]{0,63}")) {
                    throw ProblemException.invalid(name, "names no attribute: attribute names are letters, digits, _ or -, starting with a letter or _");
                }
                if (values.size() != 1) {
                    throw ProblemException.invalid(name, "may be given once");
                }
                attributes.put(attribute, values.get(0));
            }
        });
        CiQuery query = new CiQuery(QueryParams.numbers("number", number, "CI"), null, QueryParams.enums("status", status, CiStatus.class),
                QueryParams.enums("environment", environment, Environment.class),
                criticality == null ? List.of() : criticality.stream().flatMap(c -> java.util.Arrays.stream(c.split(",")))
                        .map(c -> QueryParams.integer("criticality", c.strip(), 1, 4)).toList(),
                QueryParams.text(owner), QueryParams.text(supportGroup), attributes, QueryParams.text(q));
        return PageResponses.ok(cis.list(QueryParams.text(ciClass), query, sort, page.cursor(), page.limit(), page.count()), uri);
    }

    @POST
    @RolesAllowed({Roles.AGENT, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Path("/{id}/retire")
    @Operation(summary = "Retire a configuration item",
            description = "Sets status RETIRED; requires If-Match with the current ETag. Publishes itsm.ci.retired. A retired CI stays "
                    + "listed, readable and reportable; DELETE removes a CI that should never have been recorded.")
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
    public Response retire(@PathParam("id") @Parameter(description = CiNumberPaths.ID_OR_NUMBER, example = "CI0010001") String id,
                           @Parameter(description = "The CI's current ETag, e.g. \"0\"", required = true)
                           @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                           @Parameter(description = "delete: delete the CI's relationships first (each publishes itsm.relationship.deleted)")
                           @QueryParam("relationships") String relationships, @Context SecurityContext security) {
        ConfigurationItem ci = cis.retire(id, ifMatch, deletesRelationships(relationships), Callers.of(security).name());
        return Response.ok(ci).tag(EntityTags.of(ci.version())).build();
    }

    @DELETE
    @RolesAllowed({Roles.CMDB_ADMIN, Roles.ADMIN})
    @Path("/{id}")
    @Operation(summary = "Delete a configuration item",
            description = "For a CI that should not be in the CMDB at all (a duplicate, a mistaken import); retire a CI that reached the end of "
                    + "its life instead. Requires If-Match with the current ETag. From then on every read, list, number lookup, "
                    + "impact analysis and identification leaves the CI out (an import of the same identifiers creates a new CI); "
                    + "its history and its past states (GET with asOf before the deletion) stay. Publishes itsm.ci.deleted with its "
                    + "last state.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such CI, or deleted already",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "It still has relationships (see relationships=delete)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "412", description = "If-Match is not the current ETag",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "428", description = "If-Match missing",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response delete(@PathParam("id") @Parameter(description = CiNumberPaths.ID_OR_NUMBER, example = "CI0010001") String id,
                           @Parameter(description = "The CI's current ETag, e.g. \"0\"", required = true)
                           @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                           @Parameter(description = "delete: delete the CI's relationships first (each publishes itsm.relationship.deleted)")
                           @QueryParam("relationships") String relationships, @Context SecurityContext security) {
        cis.delete(id, ifMatch, deletesRelationships(relationships), Callers.of(security).name());
        return Response.noContent().build();
    }

    /** {@code ?relationships=delete}: the CI's relationships go first; absent: a CI that has any is refused. */
    private static boolean deletesRelationships(String relationships) {
        if (relationships != null && !relationships.equals("delete")) {
            throw ProblemException.invalid("relationships", "must be 'delete' when given");
        }
        return relationships != null;
    }
}
