package io.streammanager.bus.control;

import java.time.Duration;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.streammanager.bus.control.spec.StreamSpec;

/**
 * The one control loop every service runs; the service plugs in only its {@link CommandHandler}. The loop owns the
 * instance identity, joins the service's consumer group on {@code sm:commands}, hands the stored streams to
 * {@link CommandHandler#resume} before the first command, reads and acknowledges commands (a failing one is tried a
 * bounded number of times, then reported: {@link CommandRunner}), records applied versions ({@link CommandOutcomes}),
 * beats the instance's heartbeat and tells the health checks whether it is ready and live.
 *
 * <p>It runs on a virtual thread: the blocking Redis client parks it instead of holding a platform thread while a read
 * waits for commands. Every wait is bounded (the read by {@code control.block}, pauses by their settings), so
 * {@link #stop()} ends it within about one block.
 */
@ApplicationScoped
public class ControlLoop {

    private static final Logger LOG = Logger.getLogger(ControlLoop.class);
    /** Beyond one read block: time for a command in progress to notice the interrupt. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);

    private final ControlConfig config;
    private final InstanceIdentity identity;
    private final CommandHandler handler;
    private final CommandBus bus;
    private final Heartbeats heartbeats;
    private final StoredStreams stored;
    private final CommandRunner runner;
    private final LoopHealth health = new LoopHealth();
    private volatile boolean running;
    private volatile Thread thread;
    private final CommandOutcomes outcomes;

    public ControlLoop(RedisDataSource redis, ControlConfig config, CommandHandler handler) {
        this.config = config;
        this.identity = InstanceIdentity.of(config);
        this.handler = handler;
        requirePositive("control.batch-size", config.batchSize());
        if (config.heartbeat().ttl().compareTo(config.heartbeat().interval()) <= 0) {
            throw new IllegalArgumentException("control.heartbeat.ttl=" + config.heartbeat().ttl()
                    + " must be longer than control.heartbeat.interval=" + config.heartbeat().interval());
        }
        this.bus = new CommandBus(redis, config.claimAfter());
        this.heartbeats = new Heartbeats(redis, identity.service(), identity.instanceId());
        this.stored = new StoredStreams(redis);
        this.outcomes = new CommandOutcomes(redis, identity.service());
        this.runner = new CommandRunner(handler, outcomes,
                config.command().attempts(), config.command().retryPause(), () -> !running);
    }

    /** After the services' own startup work (a failed startup check must stop the service before it takes commands). */
    void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER) StartupEvent event) {
        start();
    }

    /** Before the services' own shutdown work: no command may start a stream that is being torn down. */
    void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (!config.enabled()) {
            LOG.infof("control loop of %s is disabled (control.enabled=false): no commands, no heartbeat",
                    identity.service());
            return;
        }
        if (thread != null) {
            return;
        }
        running = true;
        thread = Thread.ofVirtual().name("control-loop-" + identity.service()).start(this::run);
    }

    /** Stops the loop within about one read block; a command in progress is interrupted and stays pending. */
    public synchronized void stop() {
        running = false;
        Thread loop = thread;
        if (loop == null) {
            return;
        }
        loop.interrupt();
        try {
            if (!loop.join(config.block().plus(STOP_GRACE))) {
                LOG.warnf("control loop of %s did not stop within %s", identity.service(), config.block().plus(STOP_GRACE));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        String group = identity.service();
        boolean resumed = false;
        long nextBeatNs = System.nanoTime();
        while (running) {
            health.iterated();
            try {
                if (!health.groupJoined()) {
                    // again after any failure: a Redis restarted without persistence has lost the group
                    bus.ensureGroup(group);
                    health.groupJoined(true);
                }
                if (!resumed) {
                    resume();
                    resumed = true;
                    health.markResumed();
                    LOG.infof("control loop: consuming %s as %s/%s", RedisKeys.COMMANDS, group, identity.instanceId());
                }
                if (System.nanoTime() - nextBeatNs >= 0) {
                    heartbeats.beat(config.heartbeat().ttl());
                    nextBeatNs = System.nanoTime() + config.heartbeat().interval().toNanos();
                }
                List<ReceivedCommand> commands = bus.read(group, identity.instanceId(), config.batchSize(), config.block());
                redisAnswered();
                for (ReceivedCommand received : commands) {
                    if (!running) {
                        break;
                    }
                    runner.run(received);
                    bus.ack(group, received);
                    redisAnswered();
                }
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                health.groupJoined(false);
                if (health.redisFailed()) {
                    LOG.warnf("control loop: Redis round trip failed (%s); retrying every %s", e.toString(),
                            config.redisRetryPause());
                }
                if (!pause(config.redisRetryPause())) {
                    break;
                }
            }
        }
        LOG.debugf("control loop of %s stopped", group);
    }

    private void resume() throws InterruptedException {
        List<StreamSpec> specs = stored.read();
        int attempts = config.command().attempts();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                handler.resume(specs);
                outcomes.resumed(specs);
                if (!specs.isEmpty()) {
                    LOG.infof("control loop: handed %d stored stream(s) to %s", specs.size(), identity.service());
                }
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (!running) {
                    throw new InterruptedException("stopping during resume");
                }
                LOG.errorf(e, "control loop: resuming %d stored stream(s) failed (try %d of %d)", specs.size(),
                        attempt, attempts);
                if (attempt < attempts) {
                    Thread.sleep(config.command().retryPause());
                }
            }
        }
        // the streams that could not resume report their own errors; commands for the others must still flow
        LOG.errorf("control loop: resume gave up after %d tries; taking commands anyway", attempts);
    }

    private void redisAnswered() {
        health.redisAnswered();
        if (health.redisRecovered()) {
            LOG.infof("control loop: Redis answers again");
        }
    }

    private boolean pause(Duration duration) {
        try {
            Thread.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    public InstanceIdentity identity() {
        return identity;
    }

    public boolean enabled() {
        return config.enabled();
    }

    /**
     * Ready: the loop runs, the group is joined, the stored streams were handed over, and Redis answered the loop
     * within {@code control.health.ready-within}. A disabled loop does not hold readiness back.
     */
    public boolean ready() {
        if (!config.enabled()) {
            return true;
        }
        return loopRunning() && health.groupJoined() && health.isResumed()
                && health.fresh(health.redisAgeMs(), config.health().readyWithin());
    }

    /** Live: the loop thread runs and went round within {@code control.health.live-within}. */
    public boolean live() {
        if (!config.enabled()) {
            return true;
        }
        return loopRunning() && health.fresh(health.iterationAgeMs(), config.health().liveWithin());
    }

    private boolean loopRunning() {
        Thread loop = thread;
        return loop != null && loop.isAlive();
    }

    /** For the health checks' data: milliseconds since Redis last answered the loop (-1: never). */
    public long redisAgeMs() {
        return health.redisAgeMs();
    }

    /** For the health checks' data: milliseconds since the loop last went round (-1: never). */
    public long iterationAgeMs() {
        return health.iterationAgeMs();
    }

    public boolean groupJoined() {
        return health.groupJoined();
    }

    public boolean resumed() {
        return health.isResumed();
    }

    private static void requirePositive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + "=" + value + " must be positive");
        }
    }
}
