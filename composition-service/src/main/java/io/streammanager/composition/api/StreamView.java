package io.streammanager.composition.api;

import io.streammanager.bus.control.spec.EncoderSpec;
import io.streammanager.bus.control.spec.SceneSpec;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.control.spec.VideoSpec;
import io.streammanager.composition.stream.StreamState;
import java.util.List;
import java.util.Locale;

/** A stream as the REST API shows it: never the gateway key, output URLs with their keys masked. */
public record StreamView(String id, String name, VideoSpec video, SceneSpec scene, EncoderSpec encoder,
                         List<OutputView> outputs, String state, String playbackUrl, long createdAtMs) {

    public record OutputView(String id, String url) {
    }

    static StreamView of(StreamSpec spec, StreamState state, String playbackBaseUrl) {
        List<OutputView> outputs = spec.outputs().stream()
                .map(o -> new OutputView(o.id(), OutputUrls.mask(o.url())))
                .toList();
        String base = playbackBaseUrl.endsWith("/") ? playbackBaseUrl : playbackBaseUrl + "/";
        return new StreamView(spec.id(), spec.name(), spec.video(), spec.scene(), spec.encoder(), outputs,
                state.name().toLowerCase(Locale.ROOT), base + spec.name(), spec.createdAtMs());
    }
}
