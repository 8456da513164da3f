package io.streammanager.bus.control.spec;

/**
 * One quality of a stream's ladder: its own size, bitrate and (optionally) frame rate, codec and profile, encoded
 * from the same frames as every other rendition of the stream, with keyframes at the same timestamps.
 *
 * @param id      {@code [a-z0-9_-]{1,16}}, unique in the stream; the gateway name of any rendition but the first is
 *                {@code <stream name>_<id>}
 * @param fps     null: the canvas rate; otherwise the canvas rate divided by a whole number
 * @param codec   null: the encoder's codec ({@code h264}, {@code vp8}, {@code vp9}, {@code hevc})
 * @param profile null: the codec's default ({@code baseline}, {@code main}, {@code high} for h264)
 */
public record RenditionSpec(String id, int width, int height, int bitrateKbps, Integer fps, String codec,
                            String profile) {

    public RenditionSpec(String id, int width, int height, int bitrateKbps) {
        this(id, width, height, bitrateKbps, null, null, null);
    }

    /** This rendition with the stream's codec and frame rate where it names none. */
    public RenditionSpec withDefaults(String streamCodec, int canvasFps) {
        return new RenditionSpec(id, width, height, bitrateKbps, fps == null || fps == 0 ? canvasFps : fps,
                codec == null ? streamCodec : codec, profile);
    }

    /** The frame rate after {@link #withDefaults}. */
    public int fpsOrZero() {
        return fps == null ? 0 : fps;
    }
}
