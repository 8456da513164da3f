package io.streammanager.composition.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammanager.bus.control.spec.EncoderSpec;
import io.streammanager.bus.control.spec.OutputSpec;
import io.streammanager.bus.control.spec.RetrySpec;
import io.streammanager.bus.control.spec.SceneSpec;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.control.spec.VideoSpec;
import io.streammanager.composition.stream.StreamState;
import io.streammanager.composition.stream.StreamStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A stream as the REST API shows it: never the gateway key, output URLs with their keys masked. {@code version} is
 * the spec's version (also the ETag); {@code applied} says which version each service runs and {@code errors} what
 * a service could not apply, so a change that did not take is visible, not silent. {@code sources} shows each video
 * layer's source (by layer id) as this instance decodes it: state, fps, dropped and repeated frames, decode time.
 */
public record StreamView(String id, String name, long version, VideoSpec video, SceneSpec scene, EncoderSpec encoder,
                         List<OutputView> outputs, String state, String playbackUrl, long createdAtMs,
                         Map<String, Long> applied, Map<String, String> errors, Map<String, ?> sources) {

    /**
     * One output: its spec (URL masked) and, once the muxer reported it, its live status (state and since when,
     * attempt, last error, bytes, bitrate), or null before that.
     */
    public record OutputView(String id, String url, boolean enabled, String rendition, RetrySpec retry, JsonNode status) {

        static OutputView of(OutputSpec output, StreamStatus status, ObjectMapper json) {
            return new OutputView(output.id(), OutputUrls.mask(output.url()), output.enabledOrDefault(),
                    output.rendition(), output.retry(), statusOf(status.outputs().get(output.id()), json));
        }

        static JsonNode statusOf(String reported, ObjectMapper json) {
            if (reported == null) {
                return null;
            }
            try {
                return json.readTree(reported);
            } catch (IOException e) {
                return null; // a status the muxer wrote in a form we do not read: shown as not reported
            }
        }
    }

    static StreamView of(StreamSpec spec, StreamState state, StreamStatus status, String playbackBaseUrl,
                         ObjectMapper json, Map<String, ?> sources) {
        List<OutputView> outputs = new ArrayList<>(spec.outputs().stream().map(o -> OutputView.of(o, status, json))
                .toList());
        // outputs the muxer adds by itself (the gateway, configured defaults) have a status but no spec entry
        status.outputs().keySet().stream().sorted()
                .filter(id -> spec.outputs().stream().noneMatch(o -> id.equals(o.id())))
                .forEach(id -> outputs.add(new OutputView(id, null, true, null, null,
                        OutputView.statusOf(status.outputs().get(id), json))));
        String base = playbackBaseUrl.endsWith("/") ? playbackBaseUrl : playbackBaseUrl + "/";
        return new StreamView(spec.id(), spec.name(), spec.version(), spec.video(), spec.scene(), spec.encoder(),
                outputs, state.name().toLowerCase(Locale.ROOT), base + spec.name(), spec.createdAtMs(),
                status.applied(), status.errors(), sources);
    }
}
