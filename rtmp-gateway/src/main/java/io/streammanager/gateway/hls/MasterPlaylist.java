package io.streammanager.gateway.hls;

import java.util.List;
import java.util.Locale;

/**
 * Writes the multivariant ("master") playlist of a stream: one {@code EXT-X-STREAM-INF} per rendition (the stream
 * itself and each live {@code <name>_<renditionId>}), and, when the renditions carry audio, an audio group whose one
 * rendition has no URI: the audio is muxed into every variant's segments (RFC 8216bis 4.4.6.1). Pure code.
 */
final class MasterPlaylist {

    static final String AUDIO_GROUP = "audio";

    /** One rendition: its stream name (the path segment of its media playlist) and what a player chooses by. */
    record Variant(String stream, long bandwidthBps, long averageBandwidthBps, int width, int height, double frameRate,
                   TrackConfig tracks) {
    }

    private MasterPlaylist() {
    }

    static String render(List<Variant> variants, String query) {
        StringBuilder out = new StringBuilder(1024);
        out.append("#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        Variant withAudio = variants.stream().filter(v -> v.tracks().hasAudio()).findFirst().orElse(null);
        if (withAudio != null) {
            out.append("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"").append(AUDIO_GROUP)
                    .append("\",NAME=\"main\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"")
                    .append(withAudio.tracks().audio().channels()).append("\"\n");
        }
        for (Variant variant : variants) {
            out.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(variant.bandwidthBps())
                    .append(",AVERAGE-BANDWIDTH=").append(variant.averageBandwidthBps())
                    .append(",RESOLUTION=").append(variant.width()).append('x').append(variant.height())
                    .append(",CODECS=\"").append(variant.tracks().codecs()).append('"');
            if (variant.frameRate() > 0) {
                out.append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", variant.frameRate()));
            }
            if (variant.tracks().hasAudio()) {
                out.append(",AUDIO=\"").append(AUDIO_GROUP).append('"');
            }
            out.append('\n').append(variant.stream()).append("/index.m3u8").append(query).append('\n');
        }
        return out.toString();
    }
}
