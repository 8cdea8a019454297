package io.itsm.incident.rest;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
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

import io.itsm.incident.history.IncidentJournal;
import io.itsm.incident.history.Note;
import io.itsm.incident.history.NoteVisibility;
import io.itsm.incident.service.IncidentQueries;
import io.itsm.incident.service.IncidentService;
import io.itsm.rest.Problem;
import io.itsm.rest.Roles;
import io.itsm.rest.QueryParams;
import io.itsm.rest.paging.PageRequest;
import io.itsm.rest.paging.PageResponses;
import io.itsm.rest.security.Callers;

/** What happened to an incident: its notes, its history of changes, and both merged into a timeline. */
@Path("/api/incidents/{id}")
@Tag(name = "Incidents")
@Produces(MediaType.APPLICATION_JSON)
public class IncidentJournalResource {

    /** A note as the API returns it. */
    @Schema(name = "IncidentNote")
    public record NoteView(UUID id, Instant createdAt, String author, NoteVisibility visibility, String text) {
        static NoteView of(Note note) {
            return new NoteView(note.id, note.createdAt, note.author, note.visibility, note.text);
        }
    }

    @Inject
    IncidentService incidents;

    @Inject
    IncidentQueries queries;

    @POST
    @RolesAllowed({Roles.AGENT, Roles.ADMIN})
    @Path("/notes")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a work note or comment", description = "Notes are appended and never edited: no If-Match needed, and the incident's version does not change.")
    @APIResponse(responseCode = "201", description = "Added", content = @Content(schema = @Schema(implementation = NoteView.class)))
    @APIResponse(responseCode = "400", description = "Invalid", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such incident", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response addNote(@PathParam("id") UUID id,
                            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
                                    @ExampleObject(name = "work note", value = "{\"visibility\":\"INTERNAL\",\"text\":\"Restarted the mail relay; watching the queue.\"}"),
                                    @ExampleObject(name = "comment to the caller", value = "{\"visibility\":\"CUSTOMER\",\"text\":\"We are on it: mail should flow again within the hour.\"}")}))
                            @NotNull @Valid NoteRequest request, @Context SecurityContext security) {
        Note note = incidents.addNote(id, request.visibility(), request.text(), Callers.of(security));
        return Response.created(URI.create("/api/incidents/" + id + "/notes")).entity(NoteView.of(note)).build();
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Path("/notes")
    @Operation(summary = "List an incident's notes, oldest first", description = "Work notes (INTERNAL) and comments (CUSTOMER) with author "
            + "and time; the timeline endpoint merges them with transitions and field changes. " + PageResponses.PAGED)
    @APIResponse(responseCode = "200", description = "One page of notes", headers = {@Header(name = "Link", description = PageResponses.NEXT_LINK),
            @Header(name = "X-Total-Count", description = "All matching notes, when count=true")},
            content = @Content(schema = @Schema(implementation = NoteView[].class)))
    @APIResponse(responseCode = "400", description = "A bad visibility, cursor or limit", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such incident", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response notes(@PathParam("id") UUID id, @QueryParam("visibility") @Parameter(description = "INTERNAL or CUSTOMER") String visibility,
                          @BeanParam PageRequest page,
                          @Context UriInfo uri) {
        List<NoteVisibility> only = QueryParams.enums("visibility", visibility == null ? null : List.of(visibility), NoteVisibility.class);
        return PageResponses.ok(queries.notes(id, only.isEmpty() ? null : only.get(0), page.cursor(), page.limit(), page.count())
                .map(NoteView::of), uri);
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Path("/history")
    @Operation(summary = "An incident's history", description = "Every change, oldest first: when, who, the event it published, and each "
            + "field from → to. " + PageResponses.PAGED)
    @APIResponse(responseCode = "200", description = "One page of the history", headers = {@Header(name = "Link", description = PageResponses.NEXT_LINK),
            @Header(name = "X-Total-Count", description = "All changes, when count=true")},
            content = @Content(schema = @Schema(implementation = IncidentJournal.Change[].class)))
    @APIResponse(responseCode = "400", description = "A bad cursor or limit", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such incident", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response history(@PathParam("id") UUID id,
                            @BeanParam PageRequest page,
                            @Context UriInfo uri) {
        return PageResponses.ok(queries.history(id, page.cursor(), page.limit(), page.count()), uri);
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.AGENT, Roles.CHANGE_MANAGER, Roles.CAB, Roles.CMDB_ADMIN, Roles.ADMIN})
    @Path("/timeline")
    @Operation(summary = "An incident's timeline", description = "Notes, transitions, field changes and SLA thresholds merged in time order "
            + "(a change before a note of the same instant): a view for people; the notes and history lists hold the same. "
            + PageResponses.PAGED)
    @APIResponse(responseCode = "200", description = "One page of the timeline", headers = {@Header(name = "Link", description = PageResponses.NEXT_LINK),
            @Header(name = "X-Total-Count", description = "All entries, when count=true")},
            content = @Content(schema = @Schema(implementation = IncidentJournal.TimelineEntry[].class)))
    @APIResponse(responseCode = "400", description = "A bad cursor or limit", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such incident", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response timeline(@PathParam("id") UUID id,
                             @BeanParam PageRequest page,
                             @Context UriInfo uri) {
        return PageResponses.ok(queries.timeline(id, page.cursor(), page.limit(), page.count()), uri);
    }
}
