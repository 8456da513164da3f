package io.streammanager.composition.sources;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A source as the stream view shows it ({@code fps} only for a source whose pictures a layer shows); {@code decoder}
 * is its video decoder ({@code h264}, or a hardware one such as {@code h264_cuvid}) and {@code hardwareDecodeError}
 * why a hardware decoder was given up; {@code audioUnderruns}, {@code audioDroppedSamples} and {@code levelDbfs}
 * describe its sound (the level only while it has some).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceView(String state, Double fps, long droppedFrames, long repeatedFrames, Double decodeMs,
                         String decoder, String hardwareDecodeError, String error, long audioUnderruns,
                         long audioDroppedSamples, Double levelDbfs) {

    static SourceView of(MediaSource source) {
        SourceState state = source.state();
        long decodeNs = source.lastDecodeNs();
        double level = source.audio().levelDbfs();
        // a source only heard (an audio layer's) has no picture rate to show
        return new SourceView(state.label(), source.pictures() ? Math.round(source.fps() * 10) / 10.0 : null,
                source.droppedFrames(), source.repeatedFrames(), decodeNs == 0 ? null : decodeNs / 1e6,
                source.decoder(), source.hardwareDecodeError(), state == SourceState.FAILED ? source.lastError() : null,
                source.audio().underruns(), source.audio().droppedSamples(),
                Double.isInfinite(level) ? null : Math.round(level * 10) / 10.0);
    }
}
