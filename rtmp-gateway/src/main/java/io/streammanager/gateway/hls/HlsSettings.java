package io.streammanager.gateway.hls;

import java.time.Duration;

/**
 * @param segmentTarget  a segment ends at the first keyframe once it is this long
 * @param partTarget     a part ends at the first frame that brings it to about this long (and at every keyframe)
 * @param windowSegments complete segments kept per stream
 * @param maxBytes       bound of one stream's window (init, segments and parts); the oldest segments go first
 * @param queueMessages  bound of one stream's queue between the relay and its packaging task; beyond it messages are
 *                       dropped (counted) and video resumes at the next keyframe
 * @param maxWaiting     blocking requests (playlist reloads, preload hints) one stream may hold at once
 * @param blockTimeout   how long a blocking request is held before a 503
 * @param retention      how long a stream's window outlives its publisher (a reconnect continues it)
 * @param workers        threads that run the packaging of all streams (FFmpeg's muxer), off the event loops
 */
public record HlsSettings(Duration segmentTarget, Duration partTarget, int windowSegments, long maxBytes,
                          int queueMessages, int maxWaiting, Duration blockTimeout, Duration retention, int workers) {
}
