package io.streammanager.muxer.recording;

import io.streammanager.bus.shm.CodecConfig;
import io.streammanager.bus.shm.Track;
import io.streammanager.muxer.output.ConnectionStart;
import io.streammanager.muxer.output.ErrorCategory;
import io.streammanager.muxer.output.FfmpegMuxer;
import io.streammanager.muxer.output.MuxerSettings;
import io.streammanager.muxer.output.OutputTarget;
import io.streammanager.muxer.output.PacketSink;
import io.streammanager.muxer.output.SharedPacket;
import io.streammanager.muxer.output.SinkException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * One connection of a recording output: a sequence of fragmented MP4 (or WebM) part files in the recording's
 * directory. A new part starts at each (re)connection and at the first video keyframe after the segment length, each
 * part's timestamps starting at 0. WebM parts (VP8) carry no audio: WebM has no AAC mapping.
 */
public final class RecordingSink implements PacketSink {
    private static final Logger LOG = Logger.getLogger(RecordingSink.class);
    /** How often the metadata's durationMs is brought up to date while a part is written. */
    private static final long PROGRESS_EVERY_US = 5_000_000;

    private final RecordingStore store;
    private final String streamId;
    private final String recordingId;
    private final String format;
    private final long segmentUs;
    private final Duration connectTimeout;
    private final Duration ioTimeout;
    private final BooleanSupplier abort;
    private CodecConfig audio;
    private FfmpegMuxer part;
    private long partStartUs;
    private long partLastEndUs;
    private long partCaptureEpochUs;
    private long savedAtUs;
    /** durationMs of the recording's earlier parts (from the metadata when this connection opened). */
    private long earlierMs;

    private RecordingSink(RecordingStore store, String streamId, String recordingId, String format, Duration segment,
                          Duration connectTimeout, Duration ioTimeout, BooleanSupplier abort) {
        this.store = store;
        this.streamId = streamId;
        this.recordingId = recordingId;
        this.format = format;
        this.segmentUs = segment.toNanos() / 1_000;
        this.connectTimeout = connectTimeout;
        this.ioTimeout = ioTimeout;
        this.abort = abort;
    }

    /**
     * Recording outputs of {@code streamId}: targets {@code record:<recordingId>} with format mp4 or webm.
     *
     * @param renditionId the recorded rendition's id, for the metadata of a recording the sink creates (may be null)
     */
    public static PacketSink.Factory factory(RecordingStore store, String streamId, String renditionId,
                                             Duration segment, Duration connectTimeout, Duration ioTimeout) {
        return (target, start, abort) -> open(store, streamId, renditionId, target, start, segment, connectTimeout,
                ioTimeout, abort);
    }

    static RecordingSink open(RecordingStore store, String streamId, String renditionId, OutputTarget target,
                              ConnectionStart start, Duration segment, Duration connectTimeout, Duration ioTimeout,
                              BooleanSupplier abort) throws SinkException {
        String recordingId = RecordTargets.recordingId(target.url());
        RecordingSink sink = new RecordingSink(store, streamId, recordingId, target.format(), segment, connectTimeout,
                ioTimeout, abort);
        sink.audio = "webm".equals(target.format()) ? null : start.audio();
        RecordingMeta meta = store.load(streamId, recordingId).orElse(null);
        try {
            if (meta == null || meta.stoppedAt() != null) {
                // a record: output of the spec (the API saves its own first) or one started again after a stop
                meta = new RecordingMeta(recordingId, streamId, meta == null ? renditionId : meta.rendition(),
                        target.format(), meta == null ? Instant.now().toString() : meta.startedAt(),
                        meta == null ? null : meta.maxDurationS(), null, meta == null ? 0 : meta.durationMs());
                store.save(meta);
            }
        } catch (RuntimeException e) {
            throw new SinkException(ErrorCategory.RESOURCE_LIMITATION, "recording " + recordingId
                    + ": cannot write its metadata: " + e.getMessage());
        }
        sink.earlierMs = meta.durationMs();
        sink.openPart(start.video(), 0, start.captureEpochUsAtZero());
        return sink;
    }

    private void openPart(CodecConfig video, long startUs, long captureEpochUsAtStart) throws SinkException {
        Path file = store.newPart(streamId, recordingId, format, Instant.now());
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new SinkException(ErrorCategory.RESOURCE_LIMITATION, "recording " + recordingId
                    + ": cannot create " + file.getParent() + ": " + e.getMessage());
        }
        part = FfmpegMuxer.open(new MuxerSettings(file.toString(), format,
                new ConnectionStart(video, audio, captureEpochUsAtStart), connectTimeout, ioTimeout), abort);
        partStartUs = startUs;
        partLastEndUs = startUs;
        savedAtUs = startUs;
        partCaptureEpochUs = captureEpochUsAtStart;
        LOG.infof("stream %s: recording %s writes %s", streamId, recordingId, file.getFileName());
    }

    @Override
    public void write(SharedPacket packet, long ptsUs, long dtsUs) throws SinkException {
        boolean video = packet.track() != Track.AUDIO;
        // half a frame of slack: 30 frames of 33333 µs are 999990 µs, and a 2 s segment must not wait for a third GOP
        if (video && packet.keyframe() && ptsUs - partStartUs + packet.durationUs() / 2 >= segmentUs) {
            rotate(packet, ptsUs);
        }
        if (ptsUs < partStartUs) {
            return; // audio from before this part's first keyframe
        }
        part.write(packet, ptsUs - partStartUs, dtsUs - partStartUs);
        if (video) {
            partLastEndUs = Math.max(partLastEndUs, ptsUs + packet.durationUs());
            if (partLastEndUs - savedAtUs >= PROGRESS_EVERY_US) {
                saveDuration();
                savedAtUs = partLastEndUs;
            }
        }
    }

    /** Ends the current part and starts the next with this keyframe (its config, its capture time). */
    private void rotate(SharedPacket keyframe, long ptsUs) throws SinkException {
        CodecConfig video = keyframe.codecConfig();
        if (video == null) {
            return; // a keyframe without its config cannot open a file: try the next one
        }
        if (keyframe.audioConfig() != null && audio != null) {
            audio = keyframe.audioConfig();
        }
        finishPart();
        long capture = keyframe.captureEpochUs() > 0 ? keyframe.captureEpochUs() : partCaptureEpochUs;
        openPart(video, ptsUs, capture);
    }

    private void finishPart() throws SinkException {
        try {
            part.finish();
        } finally {
            part.close();
            earlierMs += partDurationMs();
            partStartUs = partLastEndUs;
            saveDuration();
        }
    }

    private long partDurationMs() {
        return Math.max(0, partLastEndUs - partStartUs) / 1_000;
    }

    private void saveDuration() {
        long total = earlierMs + (part == null ? 0 : partDurationMs());
        try {
            store.load(streamId, recordingId).ifPresent(meta -> store.save(meta.withDuration(total)));
        } catch (RuntimeException e) {
            LOG.warnf("stream %s: recording %s: duration not saved: %s", streamId, recordingId, e.getMessage());
        }
    }

    @Override
    public void finish() throws SinkException {
        if (part != null) {
            try {
                part.finish();
            } finally {
                long total = earlierMs + partDurationMs();
                part.close();
                part = null;
                earlierMs = total;
                saveDuration();
            }
        }
    }

    @Override
    public void close() {
        if (part != null) {
            long total = earlierMs + partDurationMs();
            part.close();
            part = null;
            earlierMs = total;
            saveDuration();
        }
    }
}
