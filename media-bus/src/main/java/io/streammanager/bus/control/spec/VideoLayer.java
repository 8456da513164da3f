package io.streammanager.bus.control.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Live video: {@code source} is a URL FFmpeg reads live ({@code rtmp(s)://}, {@code srt://}, {@code http(s)://...m3u8})
 * or {@code asset:<id>} (an uploaded MP4/WebM; {@code loop} repeats it), scaled into the box ({@code x}, {@code y},
 * {@code width}, {@code height}; default the whole frame). While the source is not live the layer holds its last
 * frame for {@code holdMs} (default 1000), then shows its {@code fallback}. {@code primary}: while this source is
 * down the scene's {@code slate} (if any) replaces the whole program. {@code volume} 0..2 (default 1) and
 * {@code muted} set how loud the source's own sound is in the audio mix.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VideoLayer(String id, String source, Boolean loop, Boolean primary, Integer holdMs, Fallback fallback,
                         int x, int y, Integer width, Integer height, Double opacity, Boolean visible, Double volume,
                         Boolean muted, Transition transition) implements Layer {

    public static final int DEFAULT_HOLD_MS = 1000;

    public VideoLayer(String id, String source, Boolean loop, Boolean primary, Integer holdMs, Fallback fallback,
                      int x, int y, Integer width, Integer height, Double opacity, Boolean visible, Double volume,
                      Boolean muted) {
        this(id, source, loop, primary, holdMs, fallback, x, y, width, height, opacity, visible, volume, muted, null);
    }

    @Override
    public VideoLayer withId(String newId) {
        return new VideoLayer(newId, source, loop, primary, holdMs, fallback, x, y, width, height, opacity, visible,
                volume, muted, transition);
    }

    @JsonIgnore
    public int holdMsOrDefault() {
        return holdMs == null ? DEFAULT_HOLD_MS : holdMs;
    }

    @JsonIgnore
    public boolean loopOrDefault() {
        return loop != null && loop;
    }

    /** The gain the audio mix applies to this source's sound: 0 when muted, else the volume (default 1). */
    @JsonIgnore
    public double gain() {
        return Layer.gain(volume, muted);
    }

    @JsonIgnore
    public boolean primaryOrDefault() {
        return primary != null && primary;
    }
}
