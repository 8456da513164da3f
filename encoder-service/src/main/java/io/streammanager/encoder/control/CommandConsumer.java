package io.streammanager.encoder.control;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.streammanager.bus.control.Command;
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
import io.streammanager.encoder.codec.HardwareMode;
import io.streammanager.encoder.config.EncoderConfig;
import io.streammanager.encoder.pipeline.StreamWorkers;

/**
 * The one thread that takes this service's commands from {@code sm:commands} (group {@code encoder}) and acks each
 * once handled. On start it first resumes every stream already stored in Redis, so a restarted encoder carries on.
 */
@ApplicationScoped
public class CommandConsumer {

    private static final Logger LOG = Logger.getLogger(CommandConsumer.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    /** Beaten once per read (at least every block period), so a few missed reads mark the instance dead. */
    private static final Duration HEARTBEAT_TTL = Duration.ofSeconds(5);

    private final RedisDataSource redis;
    private final EncoderConfig config;
    private final StreamWorkers workers;
    private final String consumerName;
    private volatile boolean running;
    private volatile long lastRedisOkNanos;
    private Thread thread;

    public CommandConsumer(RedisDataSource redis, EncoderConfig config, StreamWorkers workers) {
        this.redis = redis;
        this.config = config;
        this.workers = workers;
        this.consumerName = config.instanceId().orElseGet(CommandConsumer::defaultInstanceId);
    }

    void onStart(@Observes StartupEvent event) {
        // a typo in encoder.hardware should stop the service here, not fail every stream later
        HardwareMode.parse(config.hardware());
        int capacity = config.ring().packetCapacityBytes();
        if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("encoder.ring.packet-capacity-bytes=" + capacity
                    + " must be a power of two");
        }
        running = true;
        thread = Thread.ofPlatform().name("encoder-commands").start(this::run);
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(config.commands().block().plusSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.stopAll();
    }

    private void run() {
        CommandBus bus = new CommandBus(redis);
        Heartbeats heartbeats = new Heartbeats(redis, EventPublisher.SERVICE, consumerName);
        boolean resumed = false;
        while (running) {
            try {
                if (!resumed) {
                    bus.ensureGroup(ConsumerGroups.ENCODER);
                    resumeStoredStreams();
                    resumed = true;
                    LOG.infof("consuming %s as %s/%s", RedisKeys.COMMANDS, ConsumerGroups.ENCODER, consumerName);
                }
                List<ReceivedCommand> commands = bus.read(ConsumerGroups.ENCODER, consumerName,
                        config.commands().batchSize(), config.commands().block());
                heartbeats.beat(HEARTBEAT_TTL);
                lastRedisOkNanos = System.nanoTime();
                for (ReceivedCommand received : commands) {
                    handle(received.command());
                    bus.ack(ConsumerGroups.ENCODER, received);
                }
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.warnf("command consumer: %s; retrying in %d ms", e.toString(), RETRY_PAUSE.toMillis());
                pause();
            }
        }
    }

    /** Applies one command; a bad command is logged and acked so it does not come back forever. */
    void handle(Command command) {
        try {
            switch (command) {
                case StartStream start -> workers.start(start.spec());
                case UpdateStream update -> workers.start(update.spec());
                case RestartOutput ignored -> {
                    // an output is the muxer's business
                }
                case StopStream stop -> {
                    if (workers.stop(stop.streamId(), stop.reason() == null ? "stopped" : stop.reason())) {
                        LOG.infof("stream %s: stopped (%s)", stop.streamId(), stop.reason());
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            LOG.warnf("command %s rejected: %s", command.getClass().getSimpleName(), e.getMessage());
        }
    }

    private void resumeStoredStreams() {
        Set<String> ids = redis.set(String.class).smembers(RedisKeys.STREAM_IDS);
        int resumed = 0;
        for (String id : ids) {
            String json = redis.value(String.class).get(RedisKeys.stream(id));
            if (json == null) {
                continue;
            }
            try {
                StreamSpec spec = StreamSpecJson.read(json);
                if (workers.start(spec)) {
                    resumed++;
                }
            } catch (RuntimeException e) {
                LOG.warnf("stream %s: stored spec not resumed: %s", id, e.getMessage());
            }
        }
        if (resumed > 0) {
            LOG.infof("resumed %d stored stream(s)", resumed);
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_PAUSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Redis answered within the last few block periods. */
    public boolean redisReachable() {
        long last = lastRedisOkNanos;
        return last != 0 && System.nanoTime() - last < config.commands().block().multipliedBy(3).toNanos();
    }

    public String consumerName() {
        return consumerName;
    }

    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
