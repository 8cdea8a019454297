package io.itsm.cmdb.classes;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.itsm.rest.EntityTags;
import io.itsm.rest.Problem;
import io.itsm.rest.ProblemException;
import io.itsm.rest.Roles;
import io.itsm.rest.patch.MergePatch;

/** The CI class hierarchy: everyone reads it, CMDB admins shape it. Maps HTTP to {@link CiClassService}. */
@Path("/api/cmdb/classes")
@Tag(name = "CI classes")
@Produces(MediaType.APPLICATION_JSON)
public class CiClassResource {

    @Inject
    CiClassService classes;

    @Inject
    ObjectMapper json;

    @GET
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Operation(summary = "List the CI classes", description = "Every class (the hierarchy is small, so the list is not paged), "
            + "parents before their subclasses; each as stored, with what it adds to its parent.")
    @APIResponse(responseCode = "200", description = "The classes", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = CiClass.class)))
    public List<CiClass> list() {
        return classes.hierarchy().all();
    }

    @GET
    @Path("/{name}")
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Operation(summary = "Get a CI class with what it inherits", description = "The ETag is the class's version; send it as If-Match to change it.")
    @APIResponse(responseCode = "200", description = "The class", content = @Content(schema = @Schema(implementation = CiClassView.class)))
    @APIResponse(responseCode = "404", description = "No such class", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response get(@PathParam("name") String name) {
        CiClass c = classes.find(name).orElseThrow(() -> ProblemException.notFound("class", name));
        return Response.ok(CiClassView.of(c, classes.hierarchy(), json)).tag(EntityTags.of(c.version())).build();
    }

    @POST
    @RolesAllowed({Roles.CMDB_ADMIN, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a CI class", description = "Under an existing parent; its attribute schema may add properties (not redefine inherited ones), "
            + "its rules may name its own and inherited attributes. Other replicas see it within itsm.cmdb.classes.refresh, or at once when a CI names it.")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = CiClass.class)))
    @APIResponse(responseCode = "400", description = "Invalid definition; errors name each field", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The name is taken", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(@RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "a load balancer class",
            value = "{\"name\":\"load_balancer\",\"parent\":\"network_device\",\"label\":\"Load balancer\","
                    + "\"attributeSchema\":{\"type\":\"object\",\"properties\":{\"vip\":{\"type\":\"string\",\"format\":\"ipv4\"}},\"required\":[\"vip\"]},"
                    + "\"identifierRules\":[[\"vip\"]]}")))
                           @NotNull @Valid CiClassInput input) {
        CiClass created = classes.create(input);
        return Response.created(URI.create("/api/cmdb/classes/" + created.name())).tag(EntityTags.of(created.version())).entity(created).build();
    }

    @PATCH
    @Path("/{name}")
    @RolesAllowed({Roles.CMDB_ADMIN, Roles.ADMIN})
    @Consumes({MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "Change a CI class (JSON Merge Patch)", description = "Editable: the fields of CiClassInput but name. Existing CIs are "
            + "checked against a changed schema when they are next written.")
    @APIResponse(responseCode = "200", description = "Changed; the ETag is the new version", content = @Content(schema = @Schema(implementation = CiClass.class)))
    @APIResponse(responseCode = "400", description = "Invalid", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such class", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "412", description = "If-Match is not the current ETag", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "428", description = "If-Match missing", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response update(@PathParam("name") String name,
                           @Parameter(description = "The class's current ETag", required = true) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                           @RequestBody(content = @Content(mediaType = MergePatch.MEDIA_TYPE, examples = @ExampleObject(name = "relabel",
                                   value = "{\"label\":\"Linux server (RHEL, Debian)\"}")))
                           @NotNull JsonNode patch) {
        CiClass updated = classes.update(name, ifMatch, patch);
        return Response.ok(updated).tag(EntityTags.of(updated.version())).build();
    }

    @DELETE
    @Path("/{name}")
    @RolesAllowed({Roles.CMDB_ADMIN, Roles.ADMIN})
    @Operation(summary = "Delete a CI class", description = "Only a class an admin added, with no subclasses, no CIs (retired ones included) "
            + "and not named by another class's relationship rules.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such class", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "A standard class, or still in use", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "412", description = "If-Match is not the current ETag", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "428", description = "If-Match missing", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response delete(@PathParam("name") String name,
                           @Parameter(description = "The class's current ETag", required = true) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        classes.delete(name, ifMatch);
        return Response.noContent().build();
    }
}
