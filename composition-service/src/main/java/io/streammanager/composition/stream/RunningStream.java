package io.streammanager.composition.stream;

import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.bus.shm.FrameGeometry;
import io.streammanager.bus.shm.FrameRingWriter;
import io.streammanager.bus.shm.PcmGeometry;
import io.streammanager.bus.shm.PixelFormat;
import io.streammanager.bus.shm.RingFiles;
import io.streammanager.composition.audio.AudioMixer;
import io.streammanager.composition.audio.AudioQueue;
import io.streammanager.composition.clock.FrameClock;
import io.streammanager.composition.clock.FrameClockStats;
import io.streammanager.composition.metrics.RenderMetrics.StreamMeters;
import io.streammanager.composition.scene.SceneCompiler;
import io.streammanager.composition.scene.SceneRenderer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * One stream being rendered: its compiled scene, its frame ring, its PCM ring with the audio mixer that fills it,
 * and the clock thread that owns them while it runs. Built and stopped by {@link StreamLifecycle}; nothing else
 * touches the rings.
 */
public final class RunningStream {

    private static final Logger LOG = Logger.getLogger(RunningStream.class);

    private volatile StreamSpec spec;
    private final Path shmDir;
    private final FrameRingWriter ring;
    private final FrameRingWriter pcmRing;
    private final AudioMixer mixer;
    private final SceneSlot scene;
    private final FrameClock clock;
    private final StreamMeters meters;
    private final StreamScenesMedia media;
    /** What the scene on screen uses of the media; sources it needs stay open until a later scene replaces it. */
    private volatile Set<String> onScreenUses = Set.of();
    /** What the newest compiled scene uses (it may still wait for its cue). */
    private volatile Set<String> pendingUses = Set.of();
    private final long startedNanos = System.nanoTime();

    private RunningStream(StreamSpec spec, Path shmDir, FrameRingWriter ring, FrameRingWriter pcmRing,
                          SceneRenderer scene, StreamMeters meters, StreamScenesMedia media) {
        this.spec = spec;
        this.media = media;
        this.shmDir = shmDir;
        this.ring = ring;
        this.pcmRing = pcmRing;
        this.mixer = new AudioMixer(media.audioTracks(), spec.video().fps());
        meters.audio(mixer::clippedSamples);
        this.scene = new SceneSlot(scene);
        this.meters = meters;
        this.clock = FrameClock.atRate(spec.id(), ring.geometry().fps(), new RingFrameSink(ring, pcmRing, mixer),
                this.scene, meters);
    }

    /** Compiles the scene, creates (or takes over) the PCM ring, then the frame ring, and starts the clock. */
    static RunningStream start(StreamSpec spec, Path shmDir, int ringSlots, StreamMeters meters) {
        return start(spec, shmDir, ringSlots, meters, StreamScenesMedia.NONE);
    }

    /** As above, drawing pictures and video from {@code media}, which the stream then owns (and closes). */
    static RunningStream start(StreamSpec spec, Path shmDir, int ringSlots, StreamMeters meters,
                               StreamScenesMedia media) {
        FrameGeometry geometry = new FrameGeometry(spec.video().width(), spec.video().height(), PixelFormat.I420,
                spec.video().fps());
        SceneRenderer scene;
        FrameRingWriter ring;
        FrameRingWriter pcmRing;
        Set<String> uses;
        try {
            Compiled compiled = compile(spec, media);
            scene = compiled.scene();
            uses = compiled.uses();
            media.retain(uses);
        } catch (RuntimeException e) {
            media.close();
            throw e;
        }
        try {
            // the PCM ring first: an encoder that found the frame ring finds the PCM ring too
            pcmRing = FrameRingWriter.create(RingFiles.pcmRing(shmDir, spec.id()),
                    PcmGeometry.forFrameRate(AudioQueue.SAMPLE_RATE, AudioQueue.CHANNELS, spec.video().fps()),
                    ringSlots);
        } catch (RuntimeException e) {
            scene.close();
            media.close();
            throw e;
        }
        try {
            ring = FrameRingWriter.create(RingFiles.frameRing(shmDir, spec.id()), geometry, ringSlots);
        } catch (RuntimeException e) {
            pcmRing.closeAndDelete();
            scene.close();
            media.close();
            throw e;
        }
        RunningStream running = new RunningStream(spec, shmDir, ring, pcmRing, scene, meters, media);
        running.onScreenUses = uses;
        running.clock.start();
        return running;
    }

    /**
     * Stops the clock, then unmaps the rings and, if asked, deletes their files (and the stream directory once
     * empty). If the clock thread does not stop in time the rings stay mapped: unmapping under a running writer would
     * crash the JVM, a leaked mapping only costs memory.
     */
    void stop(Duration timeout, boolean deleteRing) {
        boolean stopped = clock.stop(timeout);
        meters.close();
        if (!stopped) {
            LOG.errorf("stream %s: render thread did not stop within %s; its ring stays mapped", spec.id(), timeout);
            return;
        }
        if (deleteRing) {
            ring.closeAndDelete();
            pcmRing.closeAndDelete();
            RingFiles.deleteStreamDirIfEmpty(shmDir, spec.id());
        } else {
            ring.close();
            pcmRing.close();
        }
        scene.close();
        media.close();
    }

    /** Lets go of the media that neither the scene on screen nor the newest compiled one uses. */
    private synchronized void retainNeeded() {
        Set<String> needed = new HashSet<>(onScreenUses);
        needed.addAll(pendingUses);
        media.retain(needed);
    }

    /** Compiles a scene; returns it with what it uses of the stream's media. */
    private static Compiled compile(StreamSpec spec, StreamScenesMedia media) {
        media.beginCompile();
        SceneRenderer scene = SceneCompiler.compile(spec, media);
        return new Compiled(scene, media.endCompile());
    }

    private record Compiled(SceneRenderer scene, Set<String> uses) {
    }

    public StreamSpec spec() {
        return spec;
    }

    /**
     * Takes a newer version of the spec. A changed scene is compiled here, on the caller's thread, and painted from
     * the clock's next frame on; nothing else of the running stream moves (the canvas cannot change).
     */
    synchronized void update(StreamSpec newer) {
        if (newer.version() <= spec.version()) {
            return;
        }
        if (!newer.scene().equals(spec.scene())) {
            Compiled compiled = compile(newer, media);
            // until the new scene is on screen (its applyAt, its transition), the current one keeps its sources
            pendingUses = compiled.uses();
            retainNeeded();
            scene.replaceWith(compiled.scene(), newer.scene().applyAt(), newer.scene().transition(), () -> {
                onScreenUses = compiled.uses();
                // off the clock thread: closing sources takes locks a compile may hold
                CompletableFuture.runAsync(this::retainNeeded);
            });
        }
        spec = newer;
    }

    /** Each video source's state by layer id. */
    public Map<String, ?> sources() {
        return media.views();
    }

    /** The pts of the first frame that showed the latest scene change, or -1 before any. */
    public long lastSceneChangePtsUs() {
        return scene.lastSwapPtsUs();
    }

    public FrameClockStats stats() {
        return clock.stats();
    }

    /** {@link System#nanoTime()} when rendering was set up. */
    public long startedNanos() {
        return startedNanos;
    }

    public long generation() {
        return ring.generation();
    }

    public Path ringFile() {
        return ring.file();
    }
}
