package io.streammanager.muxer.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.RedisDataSource;
import io.streammanager.bus.control.RedisKeys;
import io.streammanager.muxer.config.MuxerConfig;
import io.streammanager.muxer.output.ErrorCategory;
import io.streammanager.muxer.output.Output;
import io.streammanager.muxer.output.OutputListener;
import io.streammanager.muxer.output.OutputState;
import io.streammanager.muxer.output.OutputStatus;
import io.streammanager.muxer.output.SharedPacket;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Writes every running stream's output statuses to the Redis hash {@link RedisKeys#outputStatus} (field = output id,
 * value = the {@link OutputStatus} as JSON: no URL, error messages masked), for the composition's stream view.
 *
 * <p>One writer thread for all streams: it rewrites a stream's hash at once after one of its outputs changed state,
 * and every {@code muxer.status.interval} while it runs; it deletes the hash when the stream stops. Output threads
 * only mark their stream and wake the writer (no Redis on their path). The hash expires after a few intervals
 * without a write, so a muxer that died leaves no status that looks current for long.
 */
@ApplicationScoped
public class OutputStatusPublisher {
    private static final Logger LOG = Logger.getLogger(OutputStatusPublisher.class);
    private static final int EXPIRY_INTERVALS = 10;

    private final RedisDataSource redis;
    private final ObjectMapper json;
    private final Duration interval;
    /** Running streams (one entry per stream this muxer runs). */
    private final Map<String, Supplier<List<OutputStatus>>> streams = new ConcurrentHashMap<>();
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    private final Set<String> stopped = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> writtenFields = new HashMap<>(); // writer thread only
    private final Semaphore wakeUp = new Semaphore(0);
    private final Thread writer;
    private volatile boolean running = true;

    public OutputStatusPublisher(RedisDataSource redis, ObjectMapper json, MuxerConfig config) {
        this.redis = redis;
        this.json = json;
        this.interval = config.status().interval();
        this.writer = Thread.ofPlatform().daemon(true).name("muxer-output-status").start(this::writeLoop);
    }

    /** Starts publishing a stream's statuses, read from {@code statuses} on the writer thread. */
    public void track(String streamId, Supplier<List<OutputStatus>> statuses) {
        stopped.remove(streamId);
        streams.put(streamId, statuses);
        markChanged(streamId);
    }

    /** The stream stopped: its hash is deleted. */
    public void untrack(String streamId) {
        streams.remove(streamId);
        changed.remove(streamId);
        stopped.add(streamId);
        wakeUp.release();
    }

    /** Something about the stream's outputs changed that the view should show now (a pause, a new output). */
    public void markChanged(String streamId) {
        changed.add(streamId);
        wakeUp.release();
    }

    /** Marks an output's stream on every state change; never blocks. */
    public OutputListener listener() {
        return new OutputListener() {
            @Override
            public void stateChanged(Output output, OutputState state, int attempt, ErrorCategory lastError) {
                markChanged(output.streamId());
            }

            @Override
            public void error(Output output, ErrorCategory category) {
            }

            @Override
            public void retryScheduled(Output output, int attempt, long delayNs) {
            }

            @Override
            public void packetWritten(Output output, SharedPacket packet, long writtenAtEpochUs) {
            }
        };
    }

    private void writeLoop() {
        long nextFullNs = System.nanoTime();
        while (running) {
            try {
                long waitNs = Math.max(nextFullNs - System.nanoTime(), 0);
                if (wakeUp.tryAcquire(waitNs, TimeUnit.NANOSECONDS)) {
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            }
            boolean full = System.nanoTime() - nextFullNs >= 0;
            if (full) {
                nextFullNs = System.nanoTime() + interval.toNanos();
            }
            try {
                for (Map.Entry<String, Supplier<List<OutputStatus>>> stream : streams.entrySet()) {
                    if (changed.remove(stream.getKey()) || full) {
                        write(stream.getKey(), stream.getValue().get());
                    }
                }
                for (String streamId : Set.copyOf(stopped)) {
                    if (!streams.containsKey(streamId)) {
                        redis.key(String.class).del(RedisKeys.outputStatus(streamId));
                        writtenFields.remove(streamId);
                    }
                    stopped.remove(streamId);
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.debugf("output statuses not written (Redis: %s), trying again", e.getMessage());
                }
            }
        }
    }

    private void write(String streamId, List<OutputStatus> statuses) {
        String key = RedisKeys.outputStatus(streamId);
        Map<String, String> fields = new LinkedHashMap<>();
        for (OutputStatus status : statuses) {
            try {
                fields.put(status.id(), json.writeValueAsString(status));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("status of output " + status.id() + " not serializable", e);
            }
        }
        Set<String> gone = new java.util.HashSet<>(writtenFields.getOrDefault(streamId, Set.of()));
        gone.removeAll(fields.keySet());
        if (!gone.isEmpty()) {
            redis.hash(String.class).hdel(key, gone.toArray(String[]::new));
        }
        if (!fields.isEmpty()) {
            redis.hash(String.class).hset(key, fields);
            redis.key(String.class).pexpire(key, interval.multipliedBy(EXPIRY_INTERVALS));
        }
        writtenFields.put(streamId, Set.copyOf(fields.keySet()));
    }

    @PreDestroy
    void stop() {
        running = false;
        writer.interrupt();
    }
}
