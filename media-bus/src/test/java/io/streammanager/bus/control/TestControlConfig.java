package io.streammanager.bus.control;

import java.time.Duration;
import java.util.Optional;

/** A hand-made {@link ControlConfig} with short times, for tests outside Quarkus; each {@code with} returns a copy. */
record TestControlConfig(String service, Optional<String> instanceId, boolean enabled, int batchSize, Duration block,
                         Duration claimAfter, Duration redisRetryPause, Duration heartbeatInterval, Duration heartbeatTtl,
                         int attempts, Duration retryPause, Duration readyWithin, Duration liveWithin)
        implements ControlConfig {

    static TestControlConfig of(String service, String instanceId) {
        return new TestControlConfig(service, Optional.of(instanceId), true, 16, Duration.ofMillis(200),
                Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(2), 3,
                Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofSeconds(5));
    }

    TestControlConfig withAttempts(int newAttempts) {
        return new TestControlConfig(service, instanceId, enabled, batchSize, block, claimAfter, redisRetryPause,
                heartbeatInterval, heartbeatTtl, newAttempts, retryPause, readyWithin, liveWithin);
    }

    TestControlConfig withClaimAfter(Duration newClaimAfter) {
        return new TestControlConfig(service, instanceId, enabled, batchSize, block, newClaimAfter, redisRetryPause,
                heartbeatInterval, heartbeatTtl, attempts, retryPause, readyWithin, liveWithin);
    }

    TestControlConfig withBlock(Duration newBlock) {
        return new TestControlConfig(service, instanceId, enabled, batchSize, newBlock, claimAfter, redisRetryPause,
                heartbeatInterval, heartbeatTtl, attempts, retryPause, readyWithin, liveWithin);
    }

    TestControlConfig disabled() {
        return new TestControlConfig(service, instanceId, false, batchSize, block, claimAfter, redisRetryPause,
                heartbeatInterval, heartbeatTtl, attempts, retryPause, readyWithin, liveWithin);
    }

    @Override
    public Heartbeat heartbeat() {
        return new Heartbeat() {
            @Override
            public Duration interval() {
                return heartbeatInterval;
            }

            @Override
            public Duration ttl() {
                return heartbeatTtl;
            }
        };
    }

    @Override
    public Command command() {
        return new Command() {
            @Override
            public int attempts() {
                return attempts;
            }

            @Override
            public Duration retryPause() {
                return retryPause;
            }
        };
    }

    @Override
    public Health health() {
        return new Health() {
            @Override
            public Duration readyWithin() {
                return readyWithin;
            }

            @Override
            public Duration liveWithin() {
                return liveWithin;
            }
        };
    }
}
