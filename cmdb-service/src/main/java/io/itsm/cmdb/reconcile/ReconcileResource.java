package io.itsm.cmdb.reconcile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.itsm.rest.Problem;
import io.itsm.rest.ProblemMapper;
import io.itsm.rest.ProblemException;
import io.itsm.rest.Roles;
import io.itsm.rest.json.StrictRequestBodies;
import io.itsm.rest.security.Callers;

/** Imports into the CMDB through identification and reconciliation ({@link Reconciler}): a JSON batch, or an NDJSON stream. */
@Path("/api/cmdb/reconcile")
@Tag(name = "Reconciliation")
@Produces(MediaType.APPLICATION_JSON)
public class ReconcileResource {

    public static final String NDJSON = "application/x-ndjson";
    /** How many NDJSON lines are reconciled together. */
    static final int CHUNK = 2_000;
    /** How many not-successful results an NDJSON import lists (the counts cover all). */
    static final int MAX_LISTED = 10_000;

    @Inject
    Reconciler reconciler;

    /** Reads the NDJSON lines as the REST layer reads a body: an unknown field is refused. */
    @Inject
    StrictRequestBodies requestBodies;

    @POST
    @RolesAllowed({Roles.CMDB_ADMIN, Roles.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reconcile a batch of discovered CIs and relationships", description = "Up to 10,000 items and 50,000 relationships. "
            + "Each item is identified by its class's identifier rules in order: one match updates it (under attribute authority), several "
            + "make it AMBIGUOUS (nothing written), none create a CI. Relationships name items by ref, or CIs by id or number. Re-running "
            + "the same batch is UNCHANGED throughout and publishes nothing; a run that changed something publishes itsm.reconcile.completed.")
    @APIResponse(responseCode = "200", description = "Every item's and relationship's outcome, with reasons",
            content = @Content(schema = @Schema(implementation = ReconcileReport.class)))
    @APIResponse(responseCode = "400", description = "Not a batch (source missing, too many items)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ReconcileReport batch(@RequestBody(content = @Content(schema = @Schema(implementation = ReconcileRequest.class), examples = @ExampleObject(
                                         name = "two hosts and an app", value = "{\"source\":\"discovery\",\"items\":["
                                         + "{\"ref\":\"h1\",\"ciClass\":\"linux_server\",\"name\":\"web-01\",\"attributes\":{\"serialNumber\":\"SN-1\",\"cpu\":8}},"
                                         + "{\"ref\":\"a1\",\"ciClass\":\"application\",\"name\":\"shop\"}],"
                                         + "\"relationships\":[{\"source\":\"a1\",\"type\":\"RUNS_ON\",\"target\":\"h1\"}]}")))
                                 @NotNull @Valid ReconcileRequest request, @Context SecurityContext security) {
        Reconciler.Run run = reconciler.start(request.source(), Callers.of(security).name());
        List<ReconcileReport.ItemResult> items = new ArrayList<>();
        List<ReconcileItem> all = request.items() == null ? List.of() : request.items();
        for (int from = 0; from < all.size(); from += CHUNK) {
            items.addAll(run.items(all.subList(from, Math.min(all.size(), from + CHUNK)), from));
        }
        List<ReconcileRelationship> relationships = request.relationships() == null ? List.of() : request.relationships();
        return run.complete(items, run.relationships(relationships, 0, CHUNK));
    }

    @POST
    @RolesAllowed({Roles.CMDB_ADMIN, Roles.ADMIN})
    @Consumes(NDJSON)
    @Operation(summary = "Reconcile a stream of discovered CIs and relationships (NDJSON)", description = "For imports bigger than a batch: one "
            + "JSON object per line, {\"item\": {…}} or {\"relationship\": {…}}, reconciled 2,000 lines at a time; a relationship may name items "
            + "of earlier lines by ref. The answer counts every line and lists the ambiguous and invalid ones (index = line number).")
    @APIResponse(responseCode = "200", description = "The counts and the lines that were not reconciled",
            content = @Content(schema = @Schema(implementation = ReconcileReport.class)))
    @APIResponse(responseCode = "400", description = "source missing or invalid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ReconcileReport stream(@QueryParam("source") @Parameter(description = "Where the data comes from", required = true, example = "discovery")
                                  String source,
                                  @RequestBody(content = @Content(mediaType = NDJSON, schema = @Schema(type = SchemaType.STRING,
                                          description = "One JSON object per line", example = "{\"item\":{\"ref\":\"db\",\"ciClass\":\"database\",\"name\":\"mail-db\"}}\n"
                                                  + "{\"item\":{\"ref\":\"host\",\"ciClass\":\"linux_server\",\"name\":\"mail-01\",\"attributes\":{\"cpu\":8}}}\n"
                                                  + "{\"relationship\":{\"source\":\"db\",\"type\":\"RUNS_ON\",\"target\":\"host\"}}\n")))
                                  InputStream body, @Context SecurityContext security) throws IOException {
        if (source == null || !source.matches("[a-z][a-z0-9_-]{0,63}")) {
            throw ProblemException.invalid("source", "is required: lower-case letters, digits, _ or -, starting with a letter");
        }
        Reconciler.Run run = reconciler.start(source, Callers.of(security).name());
        List<ReconcileReport.ItemResult> notDone = new ArrayList<>();
        List<ReconcileReport.RelationshipResult> edgesNotDone = new ArrayList<>();
        List<ReconcileItem> items = new ArrayList<>();
        List<Integer> itemLines = new ArrayList<>();
        List<ReconcileRelationship> edges = new ArrayList<>();
        List<Integer> edgeLines = new ArrayList<>();
        ObjectMapper json = requestBodies.mapper();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            int number = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String kind = null;
                try {
                    JsonNode node = json.readTree(line);
                    if (node != null && node.has("item")) {
                        kind = "item";
                        items.add(json.treeToValue(node.get("item"), ReconcileItem.class));
                        itemLines.add(number);
                    } else if (node != null && node.has("relationship")) {
                        kind = "relationship";
                        edges.add(json.treeToValue(node.get("relationship"), ReconcileRelationship.class));
                        edgeLines.add(number);
                    } else {
                        unreadable(run, notDone, number, "a line is {\"item\": {...}} or {\"relationship\": {...}}");
                    }
                } catch (UnrecognizedPropertyException e) {
                    unreadable(run, notDone, number, kind + "." + ProblemMapper.fieldPath(e) + " " + ProblemMapper.unknownField(e.getKnownPropertyIds()));
                } catch (JsonProcessingException e) {
                    unreadable(run, notDone, number, "not JSON of an item or relationship: " + e.getOriginalMessage());
                }
                if (items.size() + edges.size() >= CHUNK) {
                    flush(run, items, itemLines, edges, edgeLines, notDone, edgesNotDone);
                }
            }
        }
        flush(run, items, itemLines, edges, edgeLines, notDone, edgesNotDone);
        // unreadable lines are listed as they are read, the others when their chunk is reconciled: list all by line
        notDone.sort(Comparator.comparingInt(ReconcileReport.ItemResult::index));
        return run.complete(notDone, edgesNotDone);
    }

    private static void unreadable(Reconciler.Run run, List<ReconcileReport.ItemResult> notDone, int line, String reason) {
        run.countUnreadable();
        if (notDone.size() < MAX_LISTED) {
            notDone.add(new ReconcileReport.ItemResult(line, null, ReconcileOutcome.INVALID, null, null, null, List.of(reason)));
        }
    }

    /** Reconciles the lines read so far: items first, so that relationships of the same chunk find them. */
    private static void flush(Reconciler.Run run, List<ReconcileItem> items, List<Integer> itemLines, List<ReconcileRelationship> edges,
                              List<Integer> edgeLines, List<ReconcileReport.ItemResult> notDone, List<ReconcileReport.RelationshipResult> edgesNotDone) {
        List<ReconcileReport.ItemResult> itemResults = run.items(items, 0);
        for (int i = 0; i < itemResults.size(); i++) {
            ReconcileReport.ItemResult r = itemResults.get(i);
            if ((r.outcome() == ReconcileOutcome.AMBIGUOUS || r.outcome() == ReconcileOutcome.INVALID) && notDone.size() < MAX_LISTED) {
                notDone.add(new ReconcileReport.ItemResult(itemLines.get(i), r.ref(), r.outcome(), r.ciId(), r.number(), r.matchedBy(), r.reasons()));
            }
        }
        List<ReconcileReport.RelationshipResult> edgeResults = run.relationships(edges, 0, CHUNK);
        for (int i = 0; i < edgeResults.size(); i++) {
            ReconcileReport.RelationshipResult r = edgeResults.get(i);
            if (r.outcome() == ReconcileOutcome.INVALID && edgesNotDone.size() < MAX_LISTED) {
                edgesNotDone.add(new ReconcileReport.RelationshipResult(edgeLines.get(i), r.outcome(), r.relationshipId(), r.reasons()));
            }
        }
        items.clear();
        itemLines.clear();
        edges.clear();
        edgeLines.clear();
    }
}
