package io.streammanager.gateway.hls;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Writes one stream's LL-HLS media playlist (RFC 8216bis with the low-latency tags) from a {@link MediaWindow.View}.
 * URIs are relative to the playlist ({@code init<v>.mp4}, {@code s<msn>.m4s}, {@code p<index>.m4s}) and carry
 * {@code query} (the player's key or token, or empty), so every request a player makes is authorized the same way.
 * Pure code.
 */
final class MediaPlaylist {

    /** Parts are listed for this many segments at the end (the open one included): about three target durations. */
    static final int SEGMENTS_WITH_PARTS = 3;
    /** PART-HOLD-BACK in part targets: the RFC's floor is two, three is what it recommends. */
    static final int HOLD_BACK_PARTS = 3;

    private MediaPlaylist() {
    }

    static String render(MediaWindow.View view, long segmentTargetMs, long partTargetMs, String query) {
        long partTarget = Math.max(partTargetMs, view.maxPartMs());
        long targetDuration = Math.max(Math.round(segmentTargetMs / 1000.0),
                Math.round(view.maxSegmentMs() / 1000.0));
        List<MediaWindow.Segment> segments = view.segments();
        StringBuilder out = new StringBuilder(4096);
        out.append("#EXTM3U\n#EXT-X-VERSION:6\n");
        out.append("#EXT-X-TARGETDURATION:").append(Math.max(1, targetDuration)).append('\n');
        out.append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=")
                .append(seconds(partTarget * HOLD_BACK_PARTS)).append('\n');
        out.append("#EXT-X-PART-INF:PART-TARGET=").append(seconds(partTarget)).append('\n');
        out.append("#EXT-X-MEDIA-SEQUENCE:").append(segments.isEmpty() ? 0 : segments.getFirst().msn()).append('\n');
        if (view.discontinuitySequence() > 0) {
            out.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(view.discontinuitySequence()).append('\n');
        }
        int mapped = -1;
        for (int i = 0; i < segments.size(); i++) {
            MediaWindow.Segment segment = segments.get(i);
            if (segment.discontinuity() && i > 0) {
                out.append("#EXT-X-DISCONTINUITY\n");
            }
            if (segment.initVersion() != mapped) {
                mapped = segment.initVersion();
                out.append("#EXT-X-MAP:URI=\"init").append(mapped).append(".mp4").append(query).append("\"\n");
            }
            out.append("#EXT-X-PROGRAM-DATE-TIME:")
                    .append(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(segment.pdtEpochMs()))).append('\n');
            if (i >= segments.size() - SEGMENTS_WITH_PARTS) {
                for (MediaWindow.Part part : segment.parts()) {
                    out.append("#EXT-X-PART:DURATION=").append(seconds(part.durationMs())).append(",URI=\"p")
                            .append(part.index()).append(".m4s").append(query).append('"');
                    if (part.independent()) {
                        out.append(",INDEPENDENT=YES");
                    }
                    out.append('\n');
                }
            }
            if (segment.complete()) {
                out.append("#EXTINF:").append(seconds(segment.durationMs())).append(",\n")
                        .append('s').append(segment.msn()).append(".m4s").append(query).append('\n');
            }
        }
        if (view.ended()) {
            out.append("#EXT-X-ENDLIST\n");
        } else if (!segments.isEmpty()) {
            out.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p").append(view.nextPartIndex()).append(".m4s").append(query)
                    .append("\"\n");
        }
        return out.toString();
    }

    static String seconds(long ms) {
        return String.format(Locale.ROOT, "%d.%03d", ms / 1000, ms % 1000);
    }
}
