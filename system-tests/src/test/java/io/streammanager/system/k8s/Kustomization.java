package io.streammanager.system.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The part of kustomize our {@code k8s/} tree uses, so the manifests can be rendered offline without kubectl (no
 * Debian package brings it): {@code resources} (files and directories, recursively) and {@code patches} given as
 * JSON 6902 operation lists with a {@code target} kind and name. Anything else in a kustomization file is refused
 * with a message, so this checker never silently renders something kubectl would render differently.
 */
final class Kustomization {

    private static final Set<String> KNOWN_FIELDS = Set.of("apiVersion", "kind", "resources", "patches");

    private Kustomization() {
    }

    /** Renders the kustomization in {@code dir}: its resources, then its patches applied to them. */
    static List<ObjectNode> render(Path dir) throws IOException {
        Path file = dir.resolve("kustomization.yaml");
        JsonNode kustomization = Yaml.readOne(file);
        kustomization.fieldNames().forEachRemaining(field -> {
            if (!KNOWN_FIELDS.contains(field)) {
                throw new IllegalArgumentException(file + ": field '" + field + "' is not supported by this checker"
                        + " (supported: " + KNOWN_FIELDS + "); teach Kustomization.java or use the supported fields");
            }
        });
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(render(path));
            } else {
                objects.addAll(Yaml.readAll(path));
            }
        }
        for (JsonNode patch : kustomization.path("patches")) {
            Path patchFile = dir.resolve(patch.path("path").asText()).normalize();
            JsonNode operations = Yaml.readOne(patchFile);
            if (!operations.isArray()) {
                throw new IllegalArgumentException(patchFile + ": only JSON 6902 patches (a list of operations) are"
                        + " supported by this checker");
            }
            String kind = patch.path("target").path("kind").asText();
            String name = patch.path("target").path("name").asText();
            List<ObjectNode> targets = objects.stream()
                    .filter(o -> o.path("kind").asText().equals(kind) && o.path("metadata").path("name").asText().equals(name))
                    .toList();
            if (targets.isEmpty()) {
                throw new IllegalArgumentException(patchFile + ": no " + kind + " named " + name + " to patch");
            }
            for (ObjectNode target : targets) {
                for (JsonNode operation : operations) {
                    apply(target, operation, patchFile);
                }
            }
        }
        return objects;
    }

    private static void apply(ObjectNode target, JsonNode operation, Path source) {
        String op = operation.path("op").asText();
        String path = operation.path("path").asText();
        String[] tokens = path.substring(1).split("/", -1);
        JsonNode parent = target;
        for (int i = 0; i < tokens.length - 1; i++) {
            parent = child(parent, unescape(tokens[i]));
            if (parent == null || parent.isMissingNode()) {
                throw new IllegalArgumentException(source + ": " + op + " " + path + ": parent does not exist");
            }
        }
        String last = unescape(tokens[tokens.length - 1]);
        JsonNode value = operation.get("value");
        switch (op) {
            case "add" -> {
                if (parent instanceof ObjectNode object) {
                    object.set(last, value.deepCopy());
                } else if (parent instanceof ArrayNode array) {
                    if (last.equals("-")) {
                        array.add(value.deepCopy());
                    } else {
                        array.insert(Integer.parseInt(last), value.deepCopy());
                    }
                } else {
                    throw new IllegalArgumentException(source + ": add " + path + ": parent is not a container");
                }
            }
            case "replace" -> {
                if (child(parent, last) == null) {
                    throw new IllegalArgumentException(source + ": replace " + path + ": nothing there to replace");
                }
                if (parent instanceof ObjectNode object) {
                    object.set(last, value.deepCopy());
                } else {
                    ((ArrayNode) parent).set(Integer.parseInt(last), value.deepCopy());
                }
            }
            case "remove" -> {
                if (child(parent, last) == null) {
                    throw new IllegalArgumentException(source + ": remove " + path + ": nothing there to remove");
                }
                if (parent instanceof ObjectNode object) {
                    object.remove(last);
                } else {
                    ((ArrayNode) parent).remove(Integer.parseInt(last));
                }
            }
            default -> throw new IllegalArgumentException(source + ": op '" + op + "' is not supported by this checker");
        }
    }

    private static JsonNode child(JsonNode node, String token) {
        if (node.isArray()) {
            int index = Integer.parseInt(token);
            return index < node.size() ? node.get(index) : null;
        }
        return node.get(token);
    }

    private static String unescape(String token) {
        return token.replace("~1", "/").replace("~0", "~");
    }
}
