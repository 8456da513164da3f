package io.streammanager.muxer.control;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.streammanager.bus.control.CommandBus;
import io.streammanager.bus.control.ConsumerGroups;
import io.streammanager.bus.control.Heartbeats;
import io.streammanager.bus.control.ReceivedCommand;
import io.streammanager.bus.control.RedisKeys;
import io.streammanager.bus.control.StartStream;
import io.streammanager.bus.control.StopStream;
import io.streammanager.bus.control.UpdateStream;
import io.streammanager.bus.control.RestartOutput;
import io.streammanager.bus.control.StreamSpecJson;
import io.streammanager.bus.control.spec.StreamSpec;
import io.streammanager.muxer.config.MuxerConfig;
import io.streammanager.muxer.pipeline.PipelineManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Reads {@code sm:commands} as the muxer consumer group on its own thread: StartStream starts the stream's pipeline,
 * StopStream stops it; each entry is acked once handled. At start it first joins the group, then picks up the streams
 * already provisioned in Redis, so no command falls between the two.
 */
@ApplicationScoped
public class CommandConsumer {
    private static final Logger LOG = Logger.getLogger(CommandConsumer.class);
    private static final Duration READ_BLOCK = Duration.ofMillis(500);
    private static final Duration REDIS_RETRY = Duration.ofSeconds(1);
    private static final String SERVICE = "muxer";
    private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(5);
    private static final Duration HEARTBEAT_TTL = Duration.ofSeconds(15);

    private final RedisDataSource redis;
    private final PipelineManager pipelines;
    private final String instanceId;
    private final String consumerName;
    private volatile boolean running;
    private volatile long lastLoopNanos = System.nanoTime();
    private volatile boolean resumed;
    private Thread thread;

    public CommandConsumer(RedisDataSource redis, PipelineManager pipelines, MuxerConfig config) {
        this.redis = redis;
        this.pipelines = pipelines;
        this.instanceId = config.instanceId().orElseGet(CommandConsumer::hostName);
        this.consumerName = SERVICE + "-" + instanceId;
    }

    void onStart(@Observes StartupEvent event) {
        running = true;
        thread = Thread.ofPlatform().daemon(true).name("muxer-commands").start(this::run);
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(READ_BLOCK.multipliedBy(3));
        }
    }

    private void run() {
        CommandBus bus = new CommandBus(redis);
        Heartbeats heartbeats = new Heartbeats(redis, SERVICE, instanceId);
        long nextBeatNs = System.nanoTime();
        while (running) {
            lastLoopNanos = System.nanoTime();
            try {
                if (System.nanoTime() - nextBeatNs >= 0) {
                    heartbeats.beat(HEARTBEAT_TTL);
                    nextBeatNs = System.nanoTime() + HEARTBEAT_EVERY.toNanos();
                }
                if (!resumed) {
                    bus.ensureGroup(ConsumerGroups.MUXER);
                    resumeProvisionedStreams();
                    resumed = true;
                }
                List<ReceivedCommand> commands = bus.read(ConsumerGroups.MUXER, consumerName, 10, READ_BLOCK);
                for (ReceivedCommand received : commands) {
                    try {
                        handle(received);
                    } catch (RuntimeException e) {
                        // a command we cannot carry out would fail the same way when redelivered: log it, ack it
                        LOG.errorf(e, "commands: %s for stream %s failed", received.command().getClass().getSimpleName(),
                                received.command().streamId());
                    }
                    bus.ack(ConsumerGroups.MUXER, received);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warnf("commands: Redis unavailable (%s), retrying in %s", e.getMessage(), REDIS_RETRY);
                try {
                    Thread.sleep(REDIS_RETRY);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void handle(ReceivedCommand received) throws InterruptedException {
        switch (received.command()) {
            case StartStream start -> {
                StreamSpec spec = start.spec();
                if (spec == null || spec.id() == null || spec.name() == null) {
                    LOG.warnf("commands: StartStream %s without id/name, ignored", received.entryId());
                    return;
                }
                pipelines.start(spec);
            }
            case UpdateStream update -> pipelines.start(update.spec());
            case RestartOutput restart -> LOG.warnf("commands: restart of output %s of stream %s is not supported yet",
                    restart.outputId(), restart.streamId());
            case StopStream stop -> {
                if (!pipelines.stop(stop.streamId())) {
                    LOG.debugf("commands: StopStream for %s, which does not run here", stop.streamId());
                }
            }
        }
    }

    private void resumeProvisionedStreams() throws InterruptedException {
        Set<String> ids = redis.set(String.class).smembers(RedisKeys.STREAM_IDS);
        for (String id : ids) {
            String json = redis.value(String.class).get(RedisKeys.stream(id));
            if (json == null) {
                continue;
            }
            try {
                pipelines.start(StreamSpecJson.read(json));
            } catch (RuntimeException e) {
                LOG.warnf("commands: stream %s has an unreadable spec, skipped: %s", id, e.getMessage());
            }
        }
        if (!ids.isEmpty()) {
            LOG.infof("commands: resumed %d provisioned stream(s)", ids.size());
        }
    }

    /** Nanos since the command loop last went round (it does at least every read block while Redis answers). */
    public long loopAgeNanos() {
        return System.nanoTime() - lastLoopNanos;
    }

    public boolean running() {
        return running && thread != null && thread.isAlive();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "local";
        }
    }
}
