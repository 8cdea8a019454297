package io.itsm.rest.openapi;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import io.itsm.rest.Problem;

/**
 * Makes every service's OpenAPI document follow the suite's conventions, so that the gateway can merge them
 * without surprises (registered for all services by this module's {@code META-INF/microprofile-config.properties}):
 * <ul>
 * <li>one security scheme, {@value #SECURITY_SCHEME}: HTTP bearer JWT, the scopes of each operation being the roles
 * it allows;</li>
 * <li>every error response (4xx/5xx) of every operation has an {@code application/problem+json} body of the
 * {@code Problem} schema, including the 401 and 403 the security layer adds;</li>
 * <li>every response header has a schema (a string unless the service said otherwise);</li>
 * <li>one definition of the shared scalar schemas ({@code Instant}, {@code UUID});</li>
 * <li>a schema only request bodies use is closed ({@code additionalProperties: false}): the services refuse a field it
 * does not have ({@code StrictRequestBodies}). Schemas that responses use stay open, so that a client generated from
 * this document accepts the fields a later version adds.</li>
 * </ul>
 */
public class SuiteOpenApiFilter implements OASFilter {

    public static final String SECURITY_SCHEME = "bearer";

    private static final String PROBLEM_REF = "#/components/schemas/Problem";

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "400", "Malformed or invalid request (problem+json; `errors` names each field and why)",
            "401", "No valid bearer token",
            "403", "The token lacks a role this operation allows",
            "404", "No such resource",
            "409", "Conflicts with the resource's state (e.g. an illegal transition) or a uniqueness rule",
            "412", "`If-Match` names an older version",
            "415", "Unsupported content type",
            "422", "Understood but semantically impossible (e.g. references that do not exist)",
            "428", "`If-Match` is required");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        renameSecurityScheme(openAPI);
        canonicalScalars(openAPI);
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (PathItem item : openAPI.getPaths().getPathItems().values()) {
            for (Operation operation : item.getOperations().values()) {
                problemBodies(operation);
            }
        }
        closeRequestOnlySchemas(openAPI);
    }

    private static void closeRequestOnlySchemas(OpenAPI openAPI) {
        Map<String, Schema> schemas = openAPI.getComponents().getSchemas();
        if (schemas == null) {
            return;
        }
        Set<String> requested = new HashSet<>();
        Set<String> elsewhere = new HashSet<>();
        for (PathItem item : openAPI.getPaths().getPathItems().values()) {
            for (Operation operation : item.getOperations().values()) {
                if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
                    operation.getRequestBody().getContent().getMediaTypes().forEach((type, media) ->
                            reachable(media.getSchema(), schemas, type.startsWith("application/json") ? requested : elsewhere));
                }
                if (operation.getResponses() != null && operation.getResponses().getAPIResponses() != null) {
                    for (APIResponse response : operation.getResponses().getAPIResponses().values()) {
                        if (response.getContent() != null) {
                            response.getContent().getMediaTypes().values().forEach(media -> reachable(media.getSchema(), schemas, elsewhere));
                        }
                    }
                }
                if (operation.getParameters() != null) {
                    operation.getParameters().forEach(parameter -> reachable(parameter.getSchema(), schemas, elsewhere));
                }
            }
        }
        requested.removeAll(elsewhere);
        for (String name : requested) {
            Schema schema = schemas.get(name);
            if (schema != null && schema.getProperties() != null && schema.getAdditionalPropertiesSchema() == null
                    && schema.getAdditionalPropertiesBoolean() == null) {
                schema.setAdditionalPropertiesBoolean(Boolean.FALSE);
            }
        }
    }

    /** Adds the names of the component schemas {@code schema} refers to, at any depth. */
    private static void reachable(Schema schema, Map<String, Schema> schemas, Set<String> names) {
        if (schema == null) {
            return;
        }
        if (schema.getRef() != null) {
            String name = schema.getRef().substring(schema.getRef().lastIndexOf('/') + 1);
            if (names.add(name)) {
                reachable(schemas.get(name), schemas, names);
            }
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(property -> reachable(property, schemas, names));
        }
        reachable(schema.getItems(), schemas, names);
        reachable(schema.getAdditionalPropertiesSchema(), schemas, names);
        reachable(schema.getNot(), schemas, names);
        for (List<Schema> parts : Arrays.asList(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())) {
            if (parts != null) {
                parts.forEach(part -> reachable(part, schemas, names));
            }
        }
    }

    private static void renameSecurityScheme(OpenAPI openAPI) {
        Map<String, SecurityScheme> schemes = openAPI.getComponents().getSecuritySchemes();
        Map<String, SecurityScheme> renamed = new LinkedHashMap<>();
        renamed.put(SECURITY_SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                .description("A JWT from the suite's OIDC provider (locally: `./itsm token --roles <role,...>`). "
                        + "Roles come from its `groups` claim; each operation lists the roles it allows."));
        String old = schemes == null || schemes.isEmpty() ? null : schemes.keySet().iterator().next();
        openAPI.getComponents().setSecuritySchemes(renamed);
        if (old == null || old.equals(SECURITY_SCHEME) || openAPI.getPaths() == null
                || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (PathItem item : openAPI.getPaths().getPathItems().values()) {
            for (Operation operation : item.getOperations().values()) {
                List<SecurityRequirement> requirements = operation.getSecurity();
                if (requirements == null) {
                    continue;
                }
                for (SecurityRequirement requirement : requirements) {
                    List<String> scopes = requirement.getScheme(old);
                    if (requirement.hasScheme(old)) {
                        requirement.removeScheme(old);
                        requirement.addScheme(SECURITY_SCHEME, scopes == null ? List.of() : scopes);
                    }
                }
            }
        }
    }

    private static void canonicalScalars(OpenAPI openAPI) {
        Map<String, Schema> schemas = openAPI.getComponents().getSchemas();
        if (schemas == null) {
            return;
        }
        if (schemas.containsKey("Instant")) {
            openAPI.getComponents().addSchema("Instant", OASFactory.createSchema()
                    .addType(Schema.SchemaType.STRING).format("date-time")
                    .description("ISO-8601 timestamp in UTC").examples(List.of("2026-03-10T16:15:50Z")));
        }
        if (schemas.containsKey("UUID")) {
            openAPI.getComponents().addSchema("UUID", OASFactory.createSchema()
                    .addType(Schema.SchemaType.STRING).format("uuid")
                    .examples(List.of("3f2c1a9e-6b7d-4e8f-9a0b-1c2d3e4f5a6b")));
        }
    }

    private static void headerSchemas(APIResponse response) {
        if (response.getHeaders() == null) {
            return;
        }
        for (Header header : response.getHeaders().values()) {
            if (header.getSchema() == null && header.getContent() == null && header.getRef() == null) {
                header.setSchema(OASFactory.createSchema().addType(Schema.SchemaType.STRING));
            }
        }
    }

    private static void problemBodies(Operation operation) {
        if (operation.getResponses() == null || operation.getResponses().getAPIResponses() == null) {
            return;
        }
        for (Map.Entry<String, APIResponse> entry : operation.getResponses().getAPIResponses().entrySet()) {
            String status = entry.getKey();
            APIResponse response = entry.getValue();
            headerSchemas(response);
            if (!(status.startsWith("4") || status.startsWith("5"))) {
                continue;
            }
            Content content = response.getContent();
            if (content == null || content.getMediaType(Problem.MEDIA_TYPE) == null) {
                response.setContent(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF))));
            }
            if (response.getDescription() == null || response.getDescription().isBlank()
                    || response.getDescription().equals("Not Authorized") || response.getDescription().equals("Not Allowed")) {
                response.setDescription(DESCRIPTIONS.getOrDefault(status, "Error (problem+json)"));
            }
        }
    }
}
