package io.itsm.gateway.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import io.itsm.gateway.problem.Problem;
import io.itsm.gateway.problem.ProblemResponses;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The suite's documents for frontend teams and integrators:
 * <ul>
 * <li>{@code GET /openapi} (JSON; YAML with {@code ?format=yaml} or {@code Accept: application/yaml}),
 * {@code /openapi.json}, {@code /openapi.yaml}: the services' OpenAPI documents merged by {@link ApiDocumentMerger}
 * with the gateway's own operations ({@code gateway-openapi.yaml});</li>
 * <li>{@code GET /asyncapi} (YAML; JSON with {@code ?format=json}), {@code /asyncapi.yaml}, {@code /asyncapi.json}:
 * the AsyncAPI 3 document of the suite's Kafka events, copied at build time from the events module.</li>
 * </ul>
 */
@ApplicationScoped
public class MergedApiDocsRoutes {

    static final String YAML = "application/yaml";
    static final String JSON = "application/json";

    private static final ObjectMapper YAML_MAPPER = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final ObjectMapper JSON_MAPPER = new ObjectMapper();

    @Inject
    ServiceDocuments services;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "0.1.0")
    String version;

    private JsonObject gatewayOperations;
    private String asyncApiYaml;
    private String asyncApiJson;

    @PostConstruct
    void load() {
        try {
            gatewayOperations = new JsonObject(JSON_MAPPER.writeValueAsString(
                    YAML_MAPPER.readValue(resource("gateway-openapi.yaml"), Map.class)));
            asyncApiYaml = resource("asyncapi/asyncapi.yaml");
            asyncApiJson = JSON_MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(YAML_MAPPER.readValue(asyncApiYaml, Map.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a bundled API document is not valid YAML", e);
        }
    }

    void register(@Observes Router router) {
        router.route("/openapi").method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(rc -> openApi(rc, wantsYaml(rc, false)));
        router.route("/openapi.json").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(rc -> openApi(rc, false));
        router.route("/openapi.yaml").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(rc -> openApi(rc, true));
        router.route("/asyncapi").method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(rc -> asyncApi(rc, wantsYaml(rc, true)));
        router.route("/asyncapi.yaml").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(rc -> asyncApi(rc, true));
        router.route("/asyncapi.json").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(rc -> asyncApi(rc, false));
    }

    private void openApi(RoutingContext rc, boolean yaml) {
        String server = serverUrl(rc);
        services.all().onComplete(result -> {
            if (result.failed()) {
                String detail = result.cause() instanceof ServiceDocuments.Unavailable unavailable
                        ? unavailable.getMessage() : "the services' API documents could not be read";
                ProblemResponses.send(rc.response(), new Problem("urn:itsm:problem:upstream-unavailable",
                        "Service Unavailable", 503, detail, rc.request().path()));
                return;
            }
            JsonObject merged = ApiDocumentMerger.merge(result.result(), gatewayOperations, server, version);
            send(rc, yaml, yaml ? toYaml(merged) : merged.encodePrettily());
        });
    }

    private void asyncApi(RoutingContext rc, boolean yaml) {
        send(rc, yaml, yaml ? asyncApiYaml : asyncApiJson);
    }

    private static void send(RoutingContext rc, boolean yaml, String body) {
        rc.response().putHeader("Content-Type", (yaml ? YAML : JSON) + ";charset=UTF-8")
                .putHeader("Cache-Control", "no-cache")
                .end(body);
    }

    private static boolean wantsYaml(RoutingContext rc, boolean byDefault) {
        String format = rc.request().getParam("format");
        if (format != null) {
            return format.equalsIgnoreCase("yaml") || format.equalsIgnoreCase("yml");
        }
        String accept = rc.request().getHeader("Accept");
        if (accept != null && (accept.contains("yaml") || accept.contains("yml"))) {
            return true;
        }
        if (accept != null && accept.contains(JSON)) {
            return false;
        }
        return byDefault;
    }

    /** Where clients reach this gateway, as they addressed it ({@code X-Forwarded-*} honoured by Quarkus when enabled). */
    private static String serverUrl(RoutingContext rc) {
        URI uri = URI.create(rc.request().absoluteURI());
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static String toYaml(JsonObject document) {
        try {
            return YAML_MAPPER.writeValueAsString(document.getMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the API document as YAML", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = MergedApiDocsRoutes.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
