package io.streammanager.bus.control.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Sound without a picture (a music bed): {@code source} takes the same forms as a video layer's ({@code asset:<id>}
 * of an audio or video file, {@code rtmp(s)://}, {@code srt://}, {@code http(s)://...m3u8}); {@code volume} 0..2
 * (default 1), {@code muted}, {@code loop} repeats an asset. It has no box and no opacity; {@code visible: false}
 * takes it out of the mix like a hidden layer is taken off the screen.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AudioLayer(String id, String source, Boolean loop, Double volume, Boolean muted, Boolean visible)
        implements Layer {

    @Override
    public AudioLayer withId(String newId) {
        return new AudioLayer(newId, source, loop, volume, muted, visible);
    }

    /** An audio layer is never drawn, so it has no opacity. */
    @Override
    @JsonIgnore
    public Double opacity() {
        return null;
    }

    /** Sound is not transitioned on screen: it follows the scene it is heard in, ramped at the swap. */
    @Override
    @JsonIgnore
    public Transition transition() {
        return null;
    }

    @JsonIgnore
    public boolean loopOrDefault() {
        return loop != null && loop;
    }

    /** The gain the mix applies: 0 when muted, else the volume (default 1). */
    @JsonIgnore
    public double gain() {
        return Layer.gain(volume, muted);
    }
}
