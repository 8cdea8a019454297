package io.itsm.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The objects one kustomization renders to, as {@code kubectl kustomize} prints them. */
public final class Manifest {

    private static final YAMLMapper YAML = new YAMLMapper();

    private final List<ObjectNode> objects;

    private Manifest(List<ObjectNode> objects) {
        this.objects = List.copyOf(objects);
    }

    /** Renders the kustomization in {@code directory} with {@code kubectl kustomize}. */
    public static Manifest render(Path directory) {
        CommandLineTool.Result result = CommandLineTool.kubectl().run(directory, "kustomize", ".");
        if (result.exitCode() != 0) {
            throw new IllegalStateException("kubectl kustomize " + directory + " failed: " + result.stderr().strip());
        }
        return parse(result.stdout());
    }

    /** Reads a multi-document YAML stream; empty documents are skipped. */
    public static Manifest parse(String yaml) {
        List<ObjectNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document instanceof ObjectNode object) {
                    objects.add(object);
                } else if (document != null && !document.isNull() && !document.isMissingNode()) {
                    throw new IllegalArgumentException("a document is not a YAML mapping: " + document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not valid YAML", e);
        }
        return new Manifest(objects);
    }

    public List<ObjectNode> objects() {
        return objects;
    }

    public Stream<ObjectNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(kind(o)));
    }

    public Optional<ObjectNode> find(String kind, String name) {
        return ofKind(kind).filter(o -> name.equals(name(o))).findFirst();
    }

    public static String kind(JsonNode object) {
        return object.path("kind").asText("");
    }

    public static String name(JsonNode object) {
        return object.path("metadata").path("name").asText("");
    }

    /** {@code Kind/name}, how violations name their object. */
    public static String subject(JsonNode object) {
        return kind(object) + "/" + name(object);
    }
}
