package io.streammanager.encoder.codec;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * Encodes every rendition of a stream from one frame ring, in place: each frame is scaled once per distinct
 * rendition size straight from its shared-memory slot (a YUV420P slot at the canvas size goes to its encoders as it
 * is), then handed to each rendition's encoder. Keyframes are decided here, not by the encoders: every rendition gets
 * a forced IDR on the same canvas frame (the first at or after each GOP's start time, or a caller's request), so all
 * renditions switch at the same pts, and a frame lost upstream does not stretch a GOP. Usage per frame: {@link #submit}, check the slot is still valid, then {@link #drain} each rendition.
 * One owning thread; closed once.
 */
public final class LadderEncoder implements VideoLadder {

    /** One distinct output size: its scaler and picture, or none when the slot itself is that picture. */
    private record Stage(int width, int height, Scaler scaler, YuvFrame picture) {
    }

    private final LadderSettings settings;
    private final SlotFrames slots;
    private final List<Stage> stages = new ArrayList<>();
    private final VideoEncoder[] encoders;
    private final List<List<EncoderSkip>> skipped;
    private final int[] stageOf;
    private final int[] steps;
    private final boolean[] scaledThisFrame;
    /** Canvas frames since the last keyframe; -1 before the first frame (which is one). */
    private long framesSinceKeyframe = -1;
    /** The pts from which the next frame is a keyframe: the GOP is fixed in time, so frames lost upstream move no IDR. */
    private long nextKeyframePtsUs;
    private boolean closed;

    private LadderEncoder(LadderSettings settings, VideoEncoder[] encoders, List<List<EncoderSkip>> skipped) {
        this.settings = settings;
        this.encoders = encoders;
        this.skipped = List.copyOf(skipped);
        this.slots = new SlotFrames(settings.input(), settings.width(), settings.height());
        int count = settings.renditions().size();
        this.stageOf = new int[count];
        this.steps = new int[count];
        for (int i = 0; i < count; i++) {
            VideoEncoderSettings rendition = settings.renditions().get(i);
            stageOf[i] = stageFor(rendition.width(), rendition.height());
            steps[i] = settings.step(i);
        }
        this.scaledThisFrame = new boolean[stages.size()];
    }

    private int stageFor(int width, int height) {
        for (int s = 0; s < stages.size(); s++) {
            if (stages.get(s).width() == width && stages.get(s).height() == height) {
                return s;
            }
        }
        boolean passThrough = settings.input() == InputFormat.YUV420P && width == settings.width()
                && height == settings.height();
        Scaler scaler = null;
        YuvFrame picture = null;
        if (!passThrough) {
            scaler = new Scaler(ScalerSettings.resize(settings.input(), settings.width(), settings.height(), width,
                    height));
            picture = new YuvFrame(width, height);
        }
        stages.add(new Stage(width, height, scaler, picture));
        return stages.size() - 1;
    }

    /** Opens one encoder per rendition (each as the selector picks); nothing stays open if one cannot. */
    public static LadderEncoder open(LadderSettings settings, EncoderSelector selector) throws EncoderOpenException {
        List<VideoEncoderSettings> renditions = settings.renditions();
        VideoEncoder[] encoders = new VideoEncoder[renditions.size()];
        List<List<EncoderSkip>> skipped = new ArrayList<>();
        boolean opened = false;
        try {
            for (int i = 0; i < encoders.length; i++) {
                encoders[i] = selector.open(renditions.get(i));
                skipped.add(selector.lastSkips());
            }
            LadderEncoder ladder = new LadderEncoder(settings, encoders, skipped);
            opened = true;
            return ladder;
        } finally {
            if (!opened) {
                for (VideoEncoder encoder : encoders) {
                    if (encoder != null) {
                        encoder.close();
                    }
                }
            }
        }
    }

    /**
     * Hands the frame in {@code pixels} (one slot) to every rendition due at this frame, with presentation time
     * {@code ptsUs}. Returns whether it is a keyframe (in every rendition). On return no encoder reads the slot any
     * more, so the caller can check the seqlock.
     */
    @Override
    public boolean submit(MemorySegment pixels, long ptsUs, boolean forceKeyframe) {
        if (closed) {
            throw new IllegalStateException("ladder encoder closed");
        }
        boolean keyframe = forceKeyframe || framesSinceKeyframe < 0 || ptsUs >= nextKeyframePtsUs;
        if (keyframe) {
            framesSinceKeyframe = 0;
            // half a frame early, so a pts rounded down (33333 us frames) still lands on its GOP's first frame
            nextKeyframePtsUs = ptsUs + settings.gopFrames() * settings.frameDurationUs()
                    - settings.frameDurationUs() / 2;
        } else {
            framesSinceKeyframe++;
        }
        java.util.Arrays.fill(scaledThisFrame, false);
        SlotFrames.SlotFrame slot = null;
        for (int i = 0; i < encoders.length; i++) {
            if (framesSinceKeyframe % steps[i] != 0) {
                continue; // a lower frame rate: not this frame
            }
            int s = stageOf[i];
            Stage stage = stages.get(s);
            if (slot == null) {
                slot = slots.frameFor(pixels);
            }
            AVFrame frame;
            if (stage.scaler() == null) {
                frame = slot.frame();
            } else {
                if (!scaledThisFrame[s]) {
                    stage.scaler().convert(slot, stage.picture());
                    scaledThisFrame[s] = true;
                }
                frame = stage.picture().frame();
            }
            frame.pts(ptsUs);
            frame.duration(settings.frameDurationUs() * steps[i]);
            frame.pict_type(keyframe ? avutil.AV_PICTURE_TYPE_I : avutil.AV_PICTURE_TYPE_NONE);
            encoders[i].send(frame);
        }
        return keyframe;
    }

    /** Hands every packet rendition {@code index} has ready to {@code sink}; returns how many. */
    @Override
    public int drain(int index, PacketSink sink) {
        return encoders[index].drain(sink);
    }

    /** Signals end of stream to rendition {@code index} and hands out everything it still buffers. */
    @Override
    public int flush(int index, PacketSink sink) {
        return encoders[index].flush(sink);
    }

    /** @see VideoEncoder#changeBitrate(int) */
    @Override
    public boolean changeBitrate(int index, int bitrateBps) {
        return encoders[index].changeBitrate(bitrateBps);
    }

    /** Forget slot addresses (the frame ring was reopened, its old mapping is going away). */
    @Override
    public void forgetSlots() {
        slots.clear();
    }

    @Override
    public int renditionCount() {
        return encoders.length;
    }

    @Override
    public byte[] extradata(int index) {
        return encoders[index].extradata();
    }

    @Override
    public EncoderBackend backend(int index) {
        return encoders[index].backend();
    }

    /** The encoders the selector tried before the one rendition {@code index} got, and why each was passed over. */
    @Override
    public List<EncoderSkip> skipped(int index) {
        return skipped.get(index);
    }

    /** How many distinct sizes are scaled per frame (a YUV420P canvas-size rendition needs none). */
    public int scaledSizes() {
        return (int) stages.stream().filter(s -> s.scaler() != null).count();
    }

    @Override
    public LadderSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (VideoEncoder encoder : encoders) {
                encoder.close();
            }
        } finally {
            for (Stage stage : stages) {
                if (stage.scaler() != null) {
                    stage.scaler().close();
                    stage.picture().close();
                }
            }
            slots.close();
        }
    }
}
