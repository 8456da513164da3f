package io.streammanager.gateway.hls;

import io.netty.buffer.ByteBuf;
import io.streammanager.ffmpeg.FfmpegNatives;
import io.streammanager.gateway.relay.MediaTap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * LL-HLS for every stream the relay carries: as a {@link MediaTap} it starts a {@link HlsPackager} per publisher
 * session and feeds it, and it finds streams and their renditions for the playback route. A stream's window outlives
 * its publisher by {@link HlsSettings#retention()}, so a reconnecting publisher continues the same playlist (after an
 * EXT-X-DISCONTINUITY); then it is removed. Packaging runs on {@link HlsSettings#workers()} threads of its own.
 */
public final class HlsStreams implements MediaTap, AutoCloseable {

    /** A rendition's name is its stream's name, {@code _}, and the rendition id (encoder.renditions[].id). */
    private static final Pattern RENDITION_ID = Pattern.compile("[a-z0-9_-]{1,16}");

    private static final Logger LOG = Logger.getLogger(HlsStreams.class);

    private final HlsSettings settings;
    private final HlsObserver observer;
    private final ConcurrentHashMap<String, HlsStream> streams = new ConcurrentHashMap<>();
    private final ExecutorService packaging;
    private final ScheduledExecutorService reaper;

    public HlsStreams(HlsSettings settings, HlsObserver observer) {
        this.settings = settings;
        this.observer = observer;
        AtomicInteger threads = new AtomicInteger();
        this.packaging = Executors.newFixedThreadPool(Math.max(1, settings.workers()), r -> {
            Thread thread = new Thread(r, "hls-packager-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "hls-reaper");
            thread.setDaemon(true);
            return thread;
        });
        // FFmpeg's natives load (and unpack, the first time on a machine) on first use: do it now, off the caller's
        // thread, rather than in the first stream's packaging
        packaging.execute(() -> {
            try {
                FfmpegNatives.load(); // one loader for every thread: see FfmpegNatives

            } catch (RuntimeException | LinkageError e) { // e.g. a read-only home: set org.bytedeco.javacpp.cachedir
                LOG.errorf("hls: FFmpeg's natives do not load, so streams get no LL-HLS: %s", e.toString());
            }
        });
        long periodMs = Math.max(100, settings.retention().toMillis() / 4);
        reaper.scheduleWithFixedDelay(this::removeIdle, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void publisherStarted(String name) {
        streams.compute(name, (key, stream) -> {
            HlsStream target = stream;
            if (target == null) {
                target = new HlsStream(key, settings);
                observer.streamOpened(key, target);
            } else if (target.packager() != null) {
                target.packager().end();
            }
            target.packager(new HlsPackager(key, target.window(), settings, packaging, observer));
            return target;
        });
    }

    @Override
    public void media(String name, int typeId, long timestampMs, ByteBuf payload) {
        HlsStream stream = streams.get(name);
        HlsPackager packager = stream == null ? null : stream.packager();
        if (packager == null || typeId != 8 && typeId != 9 && typeId != 18) {
            return;
        }
        byte[] copy = new byte[payload.readableBytes()];
        payload.getBytes(payload.readerIndex(), copy);
        packager.offer(typeId, timestampMs, copy, System.currentTimeMillis());
    }

    @Override
    public void publisherStopped(String name) {
        streams.computeIfPresent(name, (key, stream) -> {
            if (stream.packager() != null) {
                stream.packager().end();
                stream.packager(null);
            }
            return stream;
        });
    }

    private void removeIdle() {
        long now = System.nanoTime();
        for (HlsStream stream : streams.values()) {
            streams.computeIfPresent(stream.name(), (key, current) -> {
                long idle = current.idleSinceNs();
                if (current.packager() == null && idle >= 0 && now - idle >= settings.retention().toNanos()) {
                    observer.streamClosed(key);
                    return null;
                }
                return current;
            });
        }
    }

    public Optional<HlsStream> find(String name) {
        return Optional.ofNullable(streams.get(name));
    }

    /** Whether {@code rendition} names a rendition of {@code name}: {@code <name>_<renditionId>}. */
    public static boolean renditionOf(String name, String rendition) {
        return rendition.equals(name) || rendition.length() > name.length() + 1 && rendition.startsWith(name)
                && rendition.charAt(name.length()) == '_'
                && RENDITION_ID.matcher(rendition.substring(name.length() + 1)).matches();
    }

    /**
     * The multivariant playlist of {@code name}: the stream and its live renditions, highest bandwidth first. Waits
     * (without a thread) until the stream itself has a complete segment; 404 when it has no HLS at all.
     */
    public HlsStream.Pending master(String name, String query, Consumer<HlsAnswer> reply) {
        HlsStream main = streams.get(name);
        if (main == null) {
            reply.accept(HlsAnswer.error(404, "stream " + name + " is not live", "name"));
            return () -> { };
        }
        // the first complete segment of the stream itself is what the master waits for; the renditions are taken as
        // they are at that moment (a rendition that is not ready yet appears in the next load of the master)
        return main.playlist("0", null, "", answer -> {
            if (answer.status() != 200) {
                reply.accept(answer);
                return;
            }
            List<MasterPlaylist.Variant> variants = new ArrayList<>();
            for (HlsStream stream : streams.values()) {
                if (renditionOf(name, stream.name())) {
                    stream.variant().ifPresent(variants::add);
                }
            }
            if (variants.isEmpty()) {
                reply.accept(HlsAnswer.error(404, "stream " + name + " has no HLS media", "name"));
                return;
            }
            variants.sort(Comparator.comparingLong(MasterPlaylist.Variant::bandwidthBps).reversed());
            reply.accept(HlsAnswer.playlist(MasterPlaylist.render(variants, query)));
        });
    }

    public HlsSettings settings() {
        return settings;
    }

    public int streamCount() {
        return streams.size();
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        streams.values().forEach(stream -> {
            if (stream.packager() != null) {
                stream.packager().end();
            }
        });
        packaging.shutdown();
        try {
            packaging.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
