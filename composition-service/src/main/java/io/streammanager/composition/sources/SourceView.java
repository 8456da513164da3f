package io.streammanager.composition.sources;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A source as the stream view shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceView(String state, double fps, long droppedFrames, long repeatedFrames, Double decodeMs,
                         String error) {

    static SourceView of(VideoSource source) {
        SourceState state = source.state();
        long decodeNs = source.lastDecodeNs();
        return new SourceView(state.label(), Math.round(source.fps() * 10) / 10.0, source.droppedFrames(),
                source.repeatedFrames(), decodeNs == 0 ? null : decodeNs / 1e6,
                state == SourceState.FAILED ? source.lastError() : null);
    }
}
