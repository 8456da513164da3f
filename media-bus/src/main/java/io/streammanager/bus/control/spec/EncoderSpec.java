package io.streammanager.bus.control.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * How the stream is encoded. Missing values take the defaults: h264, veryfast, zerolatency, 2500 kbit/s, 2 s.
 *
 * @param renditions the ladder, at most {@link #MAX_RENDITIONS}; null (and no {@code ladder}): one rendition at the
 *                   canvas size and {@code bitrateKbps}
 * @param ladder     a named ladder used when {@code renditions} is null: {@value #STANDARD_LADDER}
 * @param hwaccel    {@code auto} | {@code none} | {@code nvenc} | {@code vaapi} | {@code qsv}; null: the service's
 *                   {@code encoder.hardware}
 */
public record EncoderSpec(String codec, String preset, String tune, int bitrateKbps, int keyframeIntervalSeconds,
                          List<RenditionSpec> renditions, String ladder, String hwaccel) {

    public static final EncoderSpec DEFAULT = new EncoderSpec("h264", "veryfast", "zerolatency", 2500, 2);
    public static final int MAX_RENDITIONS = 6;
    public static final String STANDARD_LADDER = "standard";
    /** The id of the one rendition of a stream that names none. */
    public static final String DEFAULT_RENDITION_ID = "main";

    /** The standard ladder before capping at the canvas: id, height, kbit/s (width follows the canvas's aspect). */
    private static final int[][] STANDARD = {{1080, 4500}, {720, 2500}, {480, 1200}, {360, 800}};

    public EncoderSpec {
        renditions = renditions == null ? null : List.copyOf(renditions);
    }

    public EncoderSpec(String codec, String preset, String tune, int bitrateKbps, int keyframeIntervalSeconds) {
        this(codec, preset, tune, bitrateKbps, keyframeIntervalSeconds, null, null, null);
    }

    public EncoderSpec withDefaults() {
        return new EncoderSpec(
                codec == null ? DEFAULT.codec : codec,
                preset == null ? DEFAULT.preset : preset,
                tune == null ? DEFAULT.tune : tune,
                bitrateKbps == 0 ? DEFAULT.bitrateKbps : bitrateKbps,
                keyframeIntervalSeconds == 0 ? DEFAULT.keyframeIntervalSeconds : keyframeIntervalSeconds,
                renditions, ladder, hwaccel);
    }

    /** This encoding with another ladder (everything else the same). */
    public EncoderSpec withRenditions(List<RenditionSpec> newRenditions) {
        return new EncoderSpec(codec, preset, tune, bitrateKbps, keyframeIntervalSeconds, newRenditions, ladder,
                hwaccel);
    }

    /** This encoding with another hardware choice (everything else the same). */
    public EncoderSpec withHwaccel(String newHwaccel) {
        return new EncoderSpec(codec, preset, tune, bitrateKbps, keyframeIntervalSeconds, renditions, ladder,
                newHwaccel);
    }

    /**
     * The renditions to encode for a canvas, in order (the first is the stream's main one), each with its codec and
     * frame rate filled in: the listed ones, else the named ladder capped at the canvas, else one at the canvas.
     * Does not validate; the composition refuses a bad list before it gets here.
     */
    public List<RenditionSpec> renditionsFor(VideoSpec video) {
        EncoderSpec complete = withDefaults();
        List<RenditionSpec> listed = new ArrayList<>();
        if (renditions != null && !renditions.isEmpty()) {
            for (RenditionSpec rendition : renditions) {
                listed.add(rendition.withDefaults(complete.codec, video.fps()));
            }
            return List.copyOf(listed);
        }
        if (STANDARD_LADDER.equals(ladder)) {
            for (int[] rung : STANDARD) {
                int height = rung[0];
                if (height > video.height()) {
                    continue;
                }
                int width = evenRound((double) height * video.width() / video.height());
                if (width > video.width()) {
                    continue;
                }
                listed.add(new RenditionSpec(height + "p", width, height, rung[1], video.fps(), complete.codec, null));
            }
        }
        if (listed.isEmpty()) {
            listed.add(new RenditionSpec(DEFAULT_RENDITION_ID, video.width(), video.height(), complete.bitrateKbps,
                    video.fps(), complete.codec, null));
        }
        return List.copyOf(listed);
    }

    private static int evenRound(double value) {
        return (int) Math.round(value / 2) * 2;
    }
}
