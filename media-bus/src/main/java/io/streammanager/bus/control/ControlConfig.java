package io.streammanager.bus.control;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The shared control loop's settings, prefix {@code control}, the same keys in every service. Only
 * {@code control.service} has no default: each service names itself in its {@code application.properties}.
 */
@ConfigMapping(prefix = "control")
public interface ControlConfig {

    /**
     * {@code composition}, {@code encoder}, {@code muxer} or {@code gateway} ({@link ConsumerGroups}): the consumer
     * group, the heartbeat key's service segment, the {@code service} of the loop's events and the prefix of this
     * service's fields in {@code sm:stream-status:{id}}.
     */
    String service();

    /**
     * This instance's name: its consumer name in the group and its heartbeat key. Defaults to {@code <host>-<pid>}
     * ({@link InstanceIdentity}); set it to something stable (the pod name) so a restarted instance finds the
     * commands it left pending.
     */
    Optional<String> instanceId();

    /** Without the loop there are no commands, no resume and no heartbeat (for tests of a service's own parts). */
    @WithDefault("true")
    boolean enabled();

    /** Commands taken per read. */
    @WithDefault("16")
    int batchSize();

    /** How long one read waits for a command; also bounds how quickly the loop notices shutdown. */
    @WithDefault("1s")
    Duration block();

    /** A command pending this long in a consumer that stopped reading is taken over by a live one. */
    @WithDefault("30s")
    Duration claimAfter();

    /** Pause before trying Redis again after a failed round trip. */
    @WithDefault("1s")
    Duration redisRetryPause();

    Heartbeat heartbeat();

    Command command();

    Health health();

    interface Heartbeat {
        /** How often the loop writes {@code sm:heartbeat:{service}:{instance}}. */
        @WithDefault("5s")
        Duration interval();

        /** The heartbeat key's TTL: an instance silent for this long is gone. Longer than the interval. */
        @WithDefault("15s")
        Duration ttl();
    }

    interface Command {
        /** Tries of a command whose handler throws, before it is reported as failed and acknowledged. */
        @WithDefault("3")
        int attempts();

        /** Pause between two tries of a failing command. */
        @WithDefault("200ms")
        Duration retryPause();
    }

    interface Health {
        /** Ready only while the last Redis round trip of the loop is at most this old. */
        @WithDefault("5s")
        Duration readyWithin();

        /** Live only while the loop went round at most this long ago (a handler stuck longer is a dead loop). */
        @WithDefault("30s")
        Duration liveWithin();
    }
}
