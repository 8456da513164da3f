package io.streammanager.system.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Multi-document YAML in and out of Jackson trees. */
final class Yaml {

    private static final YAMLMapper MAPPER = new YAMLMapper();
    private static final ObjectWriter SORTED = MAPPER.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Yaml() {
    }

    static JsonNode readOne(Path file) throws IOException {
        return MAPPER.readTree(file.toFile());
    }

    static List<ObjectNode> readAll(Path file) throws IOException {
        try (MappingIterator<JsonNode> documents = MAPPER.readerFor(JsonNode.class).readValues(file.toFile())) {
            return objects(documents);
        }
    }

    /** The objects of a multi-document stream such as {@code helm template}'s output; empty documents are skipped. */
    static List<ObjectNode> readAll(String text) {
        try (MappingIterator<JsonNode> documents = MAPPER.readerFor(JsonNode.class).readValues(text)) {
            return objects(documents);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<ObjectNode> objects(MappingIterator<JsonNode> documents) throws IOException {
        List<ObjectNode> objects = new ArrayList<>();
        while (documents.hasNextValue()) {
            JsonNode document = documents.nextValue();
            if (document instanceof ObjectNode object && !object.isEmpty()) {
                objects.add(object);
            }
        }
        return objects;
    }

    /** YAML text with every mapping's keys sorted, so two trees that differ only in key order read the same. */
    static String write(JsonNode node) {
        try {
            return SORTED.writeValueAsString(MAPPER.convertValue(node, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
