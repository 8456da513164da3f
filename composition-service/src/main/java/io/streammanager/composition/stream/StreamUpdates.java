package io.streammanager.composition.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streammanager.bus.control.RestartOutput;
import io.streammanager.bus.control.spec.OutputSpec;
import io.streammanager.bus.control.spec.StreamSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Changes to a running stream. Every change is a JSON Merge Patch over the spec's public form (what the API shows,
 * without id, version and secrets), validated exactly like a create, stored as the next version together with the
 * {@code UpdateStream} command that announces it (one Redis transaction: never one without the other), then applied
 * to this instance's rendering at the next frame. The encoder and muxer apply their parts from the command.
 *
 * <p>Blocking (Redis): call from worker or virtual threads.
 */
@ApplicationScoped
public class StreamUpdates {

    private static final Logger LOG = Logger.getLogger(StreamUpdates.class);
    /** Set by the server; a patch that names them is refused rather than silently ignored. */
    private static final Set<String> READ_ONLY = Set.of("id", "gatewayKey", "createdAtMs", "version");
    /** Attempts when other writers change the stream between our read and our write. */
    private static final int ATTEMPTS = 3;

    private final StreamStore store;
    private final StreamLifecycle lifecycle;
    private final ObjectMapper json;

    public StreamUpdates(StreamStore store, StreamLifecycle lifecycle, ObjectMapper json) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.json = json;
    }

    /** Applies a merge patch to the whole spec; {@code expectedVersion} (from If-Match) may be null. */
    public StreamSpec patch(String streamId, Long expectedVersion, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw new InvalidSpecException("body", "a merge patch must be a JSON object");
        }
        for (String field : READ_ONLY) {
            if (patch.has(field)) {
                throw new InvalidSpecException(field, "is set by the server and cannot be changed");
            }
        }
        return update(streamId, expectedVersion, current -> (ObjectNode) MergePatch.apply(current, patch));
    }

    /** Adds an output; its id must be new in the stream. Returns the new spec. */
    public StreamSpec addOutput(String streamId, Long expectedVersion, JsonNode output) {
        if (output == null || !output.isObject()) {
            throw new InvalidSpecException("body", "an output must be a JSON object");
        }
        String id = output.path("id").asText(null);
        return update(streamId, expectedVersion, current -> {
            ArrayNode outputs = outputsOf(current);
            if (id != null && indexOf(outputs, id) >= 0) {
                throw new InvalidSpecException("id", "the stream already has an output with id " + id);
            }
            outputs.add(output.deepCopy());
            return current;
        });
    }

    /** Removes an output. Returns the new spec. */
    public StreamSpec removeOutput(String streamId, Long expectedVersion, String outputId) {
        return update(streamId, expectedVersion, current -> {
            ArrayNode outputs = outputsOf(current);
            outputs.remove(requireOutput(streamId, outputs, outputId));
            return current;
        });
    }

    /** Merge-patches one output (e.g. {@code {"enabled": false}}); its id cannot change. Returns the new spec. */
    public StreamSpec patchOutput(String streamId, Long expectedVersion, String outputId, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw new InvalidSpecException("body", "a merge patch must be a JSON object");
        }
        if (patch.has("id") && !outputId.equals(patch.get("id").asText())) {
            throw new InvalidSpecException("id", "an output's id cannot change");
        }
        return update(streamId, expectedVersion, current -> {
            ArrayNode outputs = outputsOf(current);
            int index = requireOutput(streamId, outputs, outputId);
            outputs.set(index, MergePatch.apply(outputs.get(index), patch));
            return current;
        });
    }

    /** Asks the muxer to reconnect the output now, with its attempts reset. */
    public void restartOutput(String streamId, String outputId) {
        StreamSpec spec = store.find(streamId).orElseThrow(() -> new StreamNotFoundException(streamId));
        if (spec.outputs().stream().noneMatch(o -> outputId.equals(o.id()))) {
            throw new OutputNotFoundException(streamId, outputId);
        }
        store.announce(new RestartOutput(streamId, outputId));
    }

    private StreamSpec update(String streamId, Long expectedVersion, UnaryOperator<ObjectNode> change) {
        for (int attempt = 1; ; attempt++) {
            StreamSpec current = store.find(streamId).orElseThrow(() -> new StreamNotFoundException(streamId));
            if (expectedVersion != null && expectedVersion != current.version()) {
                throw new UpdateConflictException("If-Match names version " + expectedVersion + " but the stream is at "
                        + "version " + current.version(), true, current.version());
            }
            StreamSpec next = changed(current, change.apply(publicForm(current)));
            List<String> parts = SpecChanges.between(current, next);
            if (parts.isEmpty()) {
                return current; // nothing to apply: no new version, no command
            }
            if (store.replace(current, next, parts)) {
                LOG.infof("stream %s (%s): version %d stored, changed %s", streamId, next.name(), next.version(), parts);
                lifecycle.applyUpdate(next);
                return next;
            }
            if (expectedVersion != null || attempt >= ATTEMPTS) {
                long now = store.find(streamId).map(StreamSpec::version).orElse(-1L);
                throw new UpdateConflictException("the stream changed while this update was applied (now version "
                        + now + "); read it again and retry", expectedVersion != null, now);
            }
        }
    }

    /** The patched public form as a spec: read strictly, completed with defaults, validated like a create. */
    private StreamSpec changed(StreamSpec current, ObjectNode patched) {
        StreamSpec requested;
        try {
            requested = json.treeToValue(patched, StreamSpec.class);
        } catch (JsonProcessingException e) {
            throw new InvalidPatchException(e);
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException("body", "cannot be read: " + e.getMessage());
        }
        StreamSpec next = requested.withDefaults().assigned(current.id(), current.gatewayKey(), current.createdAtMs(),
                current.version() + 1);
        StreamSpecValidator.validate(next);
        lifecycle.checkReferences(next);
        requireUnchanged(current.name(), next.name(), "name", "a stream's name cannot change while it exists");
        requireUnchanged(current.video(), next.video(), "video",
                "the canvas (width, height, fps) cannot change while the stream exists");
        return next;
    }

    private ObjectNode publicForm(StreamSpec spec) {
        ObjectNode tree = json.valueToTree(spec);
        READ_ONLY.forEach(tree::remove);
        return tree;
    }

    private static ArrayNode outputsOf(ObjectNode spec) {
        JsonNode outputs = spec.get("outputs");
        if (outputs instanceof ArrayNode array) {
            return array;
        }
        return spec.putArray("outputs");
    }

    private static int indexOf(ArrayNode outputs, String outputId) {
        for (int i = 0; i < outputs.size(); i++) {
            if (outputId.equals(outputs.get(i).path("id").asText(null))) {
                return i;
            }
        }
        return -1;
    }

    private static int requireOutput(String streamId, ArrayNode outputs, String outputId) {
        int index = indexOf(outputs, outputId);
        if (index < 0) {
            throw new OutputNotFoundException(streamId, outputId);
        }
        return index;
    }

    private static void requireUnchanged(Object before, Object after, String field, String message) {
        if (!Objects.equals(before, after)) {
            throw new InvalidSpecException(field, message);
        }
    }

    /** The output of {@code spec} with this id. */
    public static OutputSpec output(StreamSpec spec, String outputId) {
        return spec.outputs().stream().filter(o -> outputId.equals(o.id())).findFirst()
                .orElseThrow(() -> new OutputNotFoundException(spec.id(), outputId));
    }
}
